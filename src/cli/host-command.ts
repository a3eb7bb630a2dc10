/**
 * The shape of every SSH fan-out command: validate flags, load and select (input errors stop
 * here, before any connection), open one pool, run a per-host task with the host's session,
 * close the pool, return the exit code.
 */
import type { Command } from 'commander';
import { HostError, partOfSelection, type TaskContext, type TaskResult } from '../engine/index.js';
import type { Inventory } from '../inventory/index.js';
import type { Host } from '../model/host.js';
import type { HostResult } from '../model/result.js';
import type { RemoteSession, SshPool } from '../remote/index.js';
import { addFanoutOptions, type FanoutDefaults, readFanoutOptions } from './fanout-options.js';
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
}

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
    return await runHostCommand({
      command: spec.command,
      selector,
      hosts: part.hosts,
      opts: { ...opts, canary: part.canary },
      shard: part.record,
      dir: flags.dir,
      beforeSummary: spec.beforeSummary,
      exitCode: spec.exitCode,
      task: async (host, ctx) => {
        // Its time is up (or a second Ctrl-C): its connections end now, not when TCP gives up.
        ctx.signal.addEventListener('abort', () => pool.dropHost(host.name), { once: true });
        ctx.step('connect');
        const session = await pool.session(host);
        return spec.task(job, host, session, ctx);
      },
    });
  } finally {
    await pool.closeAll();
  }
}

/** A remote script that did not finish cleanly, as a host failure. */
export function scriptFailure(what: string, code: number | null, stderr: string): HostError {
  const last = stderr.trim().split('\n').slice(-3).join(' | ');
  return new HostError(`${what} failed (exit ${code ?? 'none'})${last ? `: ${last}` : ''}`);
}
