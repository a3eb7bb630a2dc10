/**
 * The shape of every SSH fan-out command: validate flags, load and select (input errors stop
 * here, before any connection), open one pool, run a per-host task with the host's session,
 * close the pool, return the exit code.
 */
import type { Command } from 'commander';
import { HostError, partOfSelection, type TaskContext, type TaskResult } from '../engine/index.js';
import type { ExitCode } from '../errors.js';
import type { Inventory } from '../inventory/index.js';
import type { Host } from '../model/host.js';
import type { HostResult } from '../model/result.js';
import type { RemoteSession, SshPool } from '../remote/index.js';
import {
  addFanoutOptions,
  type FanoutDefaults,
  type FanoutOptions,
  readFanoutOptions,
} from './fanout-options.js';
import {
  addConnectionOptions,
  type ConnectionFlags,
  openPool,
  type Selected,
  selectFromFleet,
  selectFromInventory,
} from './fleet-context.js';
import { type HostCommand, runHostCommand } from './run-command.js';

export interface HostJob<F extends Inventory> {
  fleet: F;
  pool: SshPool;
  flags: ConnectionFlags & Record<string, unknown>;
}

export interface HostCommandSpec<F extends Inventory> {
  command: string;
  /** Load profiles too (commands that compile). */
  withProfiles: boolean;
  task: (job: HostJob<F>, host: Host, session: RemoteSession, ctx: TaskContext) => Promise<TaskResult>;
  /** Checks after selection and before any connection (e.g. every host compiles). */
  prepare?: (fleet: F, hosts: Host[]) => void | Promise<void>;
  /** Text printed before the summary (per-host output, diffs), from the results. */
  beforeSummary?: (results: readonly HostResult[]) => string;
  /** The command's own exit code from the report and the usual one (see HostCommand). */
  exitCode?: HostCommand<Host>['exitCode'];
  /**
   * With the pool open, before the run (apply's plan and prompt): an exit code ends the command
   * there with nothing run; otherwise a host's result given without contacting it, if any.
   */
  beforeRun?: (job: HostJob<F>, hosts: Host[], opts: FanoutOptions) => Promise<BeforeRun>;
}

export type BeforeRun =
  | { stop: ExitCode }
  | { settled: (host: string) => TaskResult | undefined }
  | undefined;

export function declareHostCommand(cmd: Command, defaults: FanoutDefaults = {}): Command {
  return addConnectionOptions(addFanoutOptions(cmd, defaults));
}

export async function runSelected<F extends Inventory>(
  selector: string,
  raw: Record<string, unknown>,
  spec: HostCommandSpec<F>,
): Promise<number> {
  const opts = readFanoutOptions(raw);
  const flags = { ...(raw as unknown as ConnectionFlags), ...raw, limit: opts.limit };
  const { fleet, hosts } = (spec.withProfiles ? selectFromFleet : selectFromInventory)(
    selector,
    flags,
  ) as Selected<F>;
  // Every shard checks the whole selection: an input error stops every shard alike (exit 2).
  await spec.prepare?.(fleet, hosts);
  const part = partOfSelection(hosts, opts);
  const pool = openPool(fleet, flags);
  const job: HostJob<F> = { fleet, pool, flags };
  try {
    const before = await spec.beforeRun?.(job, part.hosts, opts);
    if (before && 'stop' in before) return before.stop;
    const task = sessionTask(job, spec.task);
    return await runHostCommand({
      command: spec.command,
      selector,
      hosts: part.hosts,
      opts: { ...opts, canary: part.canary },
      shard: part.record,
      dir: flags.dir,
      beforeSummary: spec.beforeSummary,
      exitCode: spec.exitCode,
      task: async (host, ctx) => before?.settled(host.name) ?? task(host, ctx),
    });
  } finally {
    await pool.closeAll();
  }
}

/** A command's per-host task as the engine runs it: connect (or reuse the pool's session), then run. */
export function sessionTask<F extends Inventory>(job: HostJob<F>, task: HostCommandSpec<F>['task']) {
  return async (host: Host, ctx: TaskContext): Promise<TaskResult> => {
    // Its time is up (or a second Ctrl-C): its connections end now, not when TCP gives up.
    ctx.signal.addEventListener('abort', () => job.pool.dropHost(host.name), { once: true });
    ctx.step('connect');
    const session = await job.pool.session(host);
    return task(job, host, session, ctx);
  };
}

/** A remote script that did not finish cleanly, as a host failure. */
export function scriptFailure(what: string, code: number | null, stderr: string): HostError {
  const last = stderr.trim().split('\n').slice(-3).join(' | ');
  return new HostError(`${what} failed (exit ${code ?? 'none'})${last ? `: ${last}` : ''}`);
}
