/** A progress display fed with engine events; the factory picks one per mode. */
import type { EngineEvent } from '../../engine/events.js';
import { formatJsonEvent } from '../../report/events-json.js';
import { formatPlainEvent } from '../../report/events-plain.js';
import type { ProgressMode } from './progress-mode.js';
import { createTtyProgress } from './progress-tty.js';

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

/** json: events on stdout (machine-readable); plain and tty: on stderr, leaving stdout to the summary. */
export function createProgress(mode: ProgressMode, io: ProgressStreams, command: string): Progress {
  if (mode === 'tty') return createTtyProgress(io.stderr as NodeJS.WriteStream, command);
  const [stream, format] = mode === 'json' ? [io.stdout, formatJsonEvent] : [io.stderr, formatPlainEvent];
  return {
    onEvent: (event) => {
      const line = format(event);
      if (line !== null) stream.write(`${line}\n`);
    },
    close: async () => {},
  };
}
