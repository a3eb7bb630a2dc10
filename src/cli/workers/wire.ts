/**
 * What crosses between the main thread and a worker thread (structured clone: data only, no
 * functions, no class instances). Errors cross as data and are re-created on the main thread
 * with their class, message, hint and exit code, so what the user reads and the exit code are
 * those of an in-process run.
 */

import type { EngineEvent } from '../../engine/index.js';
import { EnvironmentError, type ExitCode, FleetError, InputError, type Problem } from '../../errors.js';
import type { Inventory } from '../../inventory/index.js';
import type { Host } from '../../model/host.js';
import type { HostResult } from '../../model/result.js';

/** Which command's host task a worker builds (src/cli/workers/specs.ts), with its data. */
export interface WorkerSpecRef {
  name: string;
  args?: unknown;
}

/** What a worker starts with. */
export interface ThreadData {
  spec: WorkerSpecRef;
  /** The command's flags as commander parsed them (plain values). */
  flags: Record<string, unknown>;
  /** The inventory (and profiles) the main thread loaded and checked. */
  inventory: Inventory;
  /** This worker's share of the pool's handshake line. */
  maxHandshakes: number;
  timeoutMs?: number;
}

export type ToThread = { t: 'run'; host: Host } | { t: 'kill' } | { t: 'close' };

export type FromThread =
  | { t: 'ready' }
  | { t: 'failed'; error: WireError }
  | { t: 'event'; event: EngineEvent }
  | { t: 'done'; host: string; result: HostResult };

export interface WireError {
  name: string;
  message: string;
  fleet: boolean;
  hint?: string;
  exitCode?: ExitCode;
  problems?: Problem[];
  stack?: string;
}

export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fleet: false };
  const e = err as Error & { hint?: string; exitCode?: ExitCode; problems?: Problem[] };
  return {
    name: e.name,
    message: e.message,
    fleet: err instanceof FleetError,
    ...(e.hint !== undefined && { hint: e.hint }),
    ...(e.exitCode !== undefined && { exitCode: e.exitCode }),
    ...(Array.isArray(e.problems) && { problems: e.problems }),
    ...(e.stack !== undefined && { stack: e.stack }),
  };
}

/** The error again, of the class the main thread's error handling knows. */
export function fromWire(w: WireError): Error {
  const err = revive(w);
  if (w.stack) err.stack = `${err.stack}\n(in a worker thread) ${w.stack}`;
  return err;
}

function revive(w: WireError): Error {
  if (w.name === 'InputError' && w.problems) return new InputError(w.problems, w.hint);
  if (w.name === 'EnvironmentError') return new EnvironmentError(w.message, w.hint);
  if (!w.fleet) return Object.assign(new Error(w.message), { name: w.name });
  const err = new FleetError(w.message, { exitCode: w.exitCode, hint: w.hint });
  err.name = w.name;
  return err;
}
