/** A progress display fed with engine events; the factory picks one per mode. */
import type { EngineEvent } from '../../engine/events.js';
import { formatJsonEvent } from '../../report/events-json.js';
import { formatPlainEvent } from '../../report/events-plain.js';
import type { ProgressMode } from './progress-mode.js';

/** The part of a stream the output needs (process.stdout, or a buffer in tests). */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface Progress {
  onEvent(event: EngineEvent): void;
  /** The run is over: stop drawing (before the summary is written). */
  close(): Promise<void>;
}

export interface ProgressStreams {
  stdout: OutStream;
  stderr: OutStream;
}

/**
 * The progress for `mode`. The TTY one is loaded only on a terminal: listr2 costs ~45 ms of
 * start-up that runs in CI, cron or a pipe would pay for nothing (bench/README.md).
 */
export async function openProgress(
  mode: ProgressMode,
  io: ProgressStreams,
  command: string,
): Promise<Progress> {
  if (mode !== 'tty') return createProgress(mode, io);
  const { createTtyProgress } = await import('./progress-tty.js');
  return createTtyProgress(io.stderr as NodeJS.WriteStream, command);
}

/** json: events on stdout (machine-readable); plain: on stderr, leaving stdout to the summary. */
export function createProgress(mode: Exclude<ProgressMode, 'tty'>, io: ProgressStreams): Progress {
  const [stream, format] = mode === 'json' ? [io.stdout, formatJsonEvent] : [io.stderr, formatPlainEvent];
  return {
    onEvent: (event) => {
      const line = format(event);
      if (line !== null) stream.write(`${line}\n`);
    },
    close: async () => {},
  };
}
