import type { HostResult, HostStatus } from '../model/result.js';
import type { Amount } from './amount.js';
import type { EventSink, LogLevel, StopCause, TaskEvent } from './events.js';
import type { HostEnv } from './host-run.js';

/** Anything the engine can run a task on: it only needs a name (Host has one). */
export interface Named {
  name: string;
}

/** What a host task gets besides its host. */
export interface TaskContext {
  /** Aborted when the host's timeout passes or the user forces a stop; pass it to I/O. */
  readonly signal: AbortSignal;
  /** Start a named step (ends the previous one); its duration goes into HostResult.steps. */
  step(name: string): void;
  log(message: string, level?: LogLevel): void;
  /**
   * The host waits for a lock another process holds (`apt's lock (held by pid 1234 apt-get)`),
   * shown by the progress until the next step or `wait(null)` when the wait is over.
   */
  wait(reason: string | null): void;
  event(event: TaskEvent): void;
  /**
   * The host's timeout does not cut the task before `untilMs` (epoch ms): for a wait that must
   * not be cut, such as the wait past a watchdog's deadline. 0 lets the timeout cut again.
   */
  holdTimeout(untilMs: number): void;
  /** What the report adds if the timeout cuts the task from now on (what the host will do itself). */
  onTimeoutSay(text: string | undefined): void;
}

/** What a task returns: at least status and detail. The engine fills host, duration and steps. */
export type TaskResult = Pick<HostResult, 'status' | 'detail'> &
  Partial<Omit<HostResult, 'status' | 'detail'>>;

export type HostTask<H extends Named> = (host: H, ctx: TaskContext) => Promise<TaskResult>;

export interface FleetOptions<H extends Named = Named> {
  /** Hosts in flight at once (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
  /** Per-host time limit in ms; 0 or absent means none. */
  timeoutMs?: number;
  /** Run this many hosts first; if any of them ends badly, launch no more. */
  canary?: number;
  /** Launch the rest in waves of this size; a wave starts when the previous one is done. */
  batch?: Amount;
  /** Stop launching once this many hosts ended badly (BAD_STATUSES). */
  maxFail?: Amount;
  /** Stop launching (Ctrl-C): hosts in flight finish, the rest are skipped. */
  signal?: AbortSignal;
  /** Abort hosts in flight too (a second Ctrl-C): they end `failed` at once. */
  killSignal?: AbortSignal;
  onEvent?: EventSink;
  /**
   * Run one host somewhere else (a worker thread, docs/scale.md) instead of `task` in this
   * thread: it must emit the host's events through `env.emit` (host-start ... host-done) and
   * settle with its result, as runOneHost does. The engine keeps waves, limits and stops.
   */
  runHost?: (host: H, env: HostEnv) => Promise<HostResult>;
  /** How many worker threads runHost spreads the hosts over (named in the run-start event). */
  workers?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface FleetRun {
  /** One result per host, in selection order. */
  results: HostResult[];
  /** True when some host was not launched because the run was stopped. */
  stopped: boolean;
  stopCause?: StopCause;
  stopReason?: string;
  startedAt: string;
  finishedAt: string;
}

/** Throw this (or any Error with a `status` field) from a task to end the host with that status. */
export class HostError extends Error {
  readonly status: HostStatus;
  readonly data?: Record<string, unknown>;
  constructor(message: string, status: HostStatus = 'failed', data?: Record<string, unknown>) {
    super(message);
    this.name = 'HostError';
    this.status = status;
    this.data = data;
  }
}
