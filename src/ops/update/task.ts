/**
 * One host's `fleet update`: update (or check), then, when asked and needed, reboot and wait.
 * The engine calls it once per host; it never throws for a package-manager failure (that is a
 * `failed` result with the error text), only for transport trouble the engine classifies.
 */
import type { HostStatus } from '../../model/result.js';
import type { RemoteSession } from '../../remote/types.js';
import { requestReboot, waitForReboot } from './reboot.js';
import { runUpdate } from './run.js';
import { summarizeUpdate } from './summary.js';
import type { UpdateOptions, UpdateResult } from './types.js';

export interface UpdateTaskOptions extends UpdateOptions {
  rebootIfNeeded: boolean;
  /** How long a rebooting host has to come back. */
  rebootWaitMs: number;
}

/** What the task needs from the engine's context and the SSH pool (structural, no imports). */
export interface UpdateTaskIO {
  session: () => Promise<RemoteSession>;
  /** A NEW connection to the host (proof that it is back after a reboot). */
  fresh: () => Promise<RemoteSession>;
  step: (name: string) => void;
  /** Waiting for the package manager's lock: what holds it; null when the wait is over. */
  wait?: (reason: string | null) => void;
  signal?: AbortSignal;
}

export interface UpdateTaskResult {
  status: HostStatus;
  detail: string;
  data: Record<string, unknown>;
}

export async function updateHost(io: UpdateTaskIO, opts: UpdateTaskOptions): Promise<UpdateTaskResult> {
  const session = await io.session();
  io.step(opts.mode === 'check' ? 'check' : 'update');
  const result = await runUpdate(session, opts, io.wait);
  const summary = summarizeUpdate(result);
  if (!shouldReboot(result, opts)) return summary;
  return rebootAndWait(io, opts, summary);
}

export function shouldReboot(
  r: UpdateResult,
  opts: Pick<UpdateTaskOptions, 'rebootIfNeeded' | 'mode'>,
): boolean {
  return opts.rebootIfNeeded && opts.mode === 'upgrade' && r.ok && r.rebootRequired === true;
}

async function rebootAndWait(
  io: UpdateTaskIO,
  opts: UpdateTaskOptions,
  summary: UpdateTaskResult,
): Promise<UpdateTaskResult> {
  io.step('reboot');
  const before = await requestReboot(await io.session());
  io.step('wait-boot');
  const back = await waitForReboot(io.fresh, before, { timeoutMs: opts.rebootWaitMs, signal: io.signal });
  const data = { ...summary.data, reboot: back };
  if (!back.ok) return { status: 'failed', detail: `${summary.detail}; ${back.error}`, data };
  const secs = Math.round(back.ms / 1000);
  return {
    status: 'changed',
    detail: summary.detail.replace('reboot required', `rebooted (back in ${secs}s)`),
    data,
  };
}
