/**
 * A fan-out command's spec and its host task as the engine runs it, in the main thread or in a
 * worker thread (each with its own pool): the host's connections dropped when its time is up,
 * then `connect`, then the command's own task with the host's session. Types and one function:
 * a worker thread imports this, not the runner (host-command.ts) and its renderers.
 */
import type { TaskContext, TaskResult } from '../engine/index.js';
import type { ExitCode } from '../errors.js';
import type { Inventory } from '../inventory/index.js';
import type { Host } from '../model/host.js';
import type { HostResult } from '../model/result.js';
import type { RemoteSession, SshPool } from '../remote/index.js';
import type { FanoutOptions } from './fanout-options.js';
import type { ConnectionFlags } from './fleet-context.js';
import type { HostCommand } from './run-command.js';
import type { WorkerSpecRef } from './workers/wire.js';

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
  /**
   * How a worker thread builds this same spec (src/cli/workers/specs.ts), asked after beforeRun;
   * without it the command runs in the main thread whatever `--workers` says.
   */
  worker?: () => WorkerSpecRef;
}

export type BeforeRun =
  | { stop: ExitCode }
  | { settled: (host: string) => TaskResult | undefined }
  | undefined;

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
