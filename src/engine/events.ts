/**
 * What the engine tells the outside world while a run goes on: a discriminated union on `kind`.
 * Renderers keep a formatter table keyed by kind (see src/cli/output/), so adding a kind here
 * without a formatter there does not compile.
 */
import type { HostResult } from '../model/result.js';

export type LogLevel = 'info' | 'warn';

/** Why the engine stopped launching hosts. */
export type StopCause = 'canary' | 'max-fail' | 'interrupted';

export type WaveLabel = 'canary' | 'batch' | 'all';

export type EngineEvent =
  | { kind: 'run-start'; time: string; total: number; concurrency: number; workers?: number }
  | { kind: 'wave-start'; time: string; wave: number; label: WaveLabel; name: string; hosts: string[] }
  | { kind: 'host-start'; time: string; host: string }
  | { kind: 'step'; time: string; host: string; step: string }
  | { kind: 'log'; time: string; host: string; level: LogLevel; message: string }
  /** The host waits for a lock someone else holds (reason), or no longer does (null). */
  | { kind: 'wait'; time: string; host: string; reason: string | null }
  | { kind: 'host-done'; time: string; host: string; result: HostResult }
  | { kind: 'run-stopped'; time: string; cause: StopCause; reason: string }
  | { kind: 'run-done'; time: string; stopped: boolean };

export type EventKind = EngineEvent['kind'];

export type EventOf<K extends EventKind> = Extract<EngineEvent, { kind: K }>;

/** Events a host task may emit through ctx.event(); the engine adds host and time. */
export type TaskEvent =
  | { kind: 'step'; step: string }
  | { kind: 'log'; level: LogLevel; message: string }
  | { kind: 'wait'; reason: string | null };

export type EventSink = (event: EngineEvent) => void;
