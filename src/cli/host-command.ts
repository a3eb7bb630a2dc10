/**
 * The shape of every SSH fan-out command: validate flags, load and select (input errors stop
 * here, before any connection), open one pool (and, with `--workers`, worker threads each with
 * its own), run a per-host task with the host's session, close the pools, return the exit code.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import {
  type HostEnv,
  HostError,
  partOfSelection,
  runOneHost,
  shareOf,
  workerCount,
} from '../engine/index.js';
import { EnvironmentError } from '../errors.js';
import type { Inventory } from '../inventory/index.js';
import type { Host } from '../model/host.js';
import { DEFAULT_MAX_HANDSHAKES } from '../remote/index.js';
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
import { type HostCommandSpec, type HostJob, sessionTask } from './host-task.js';
import { runHostCommand } from './run-command.js';
import { threadsAvailable, WorkerThreads } from './workers/threads.js';

export type { BeforeRun, HostCommandSpec, HostJob } from './host-task.js';
export { sessionTask } from './host-task.js';

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
  let threads: WorkerThreads | undefined;
  try {
    const before = await spec.beforeRun?.(job, part.hosts, opts);
    if (before && 'stop' in before) return before.stop;
    const task = sessionTask(job, spec.task);
    const here = async (host: Host, ctx: Parameters<typeof task>[1]) =>
      before?.settled(host.name) ?? task(host, ctx);
    threads = await startThreads(spec, { fleet, flags: raw, opts, hosts: part.hosts.length });
    const elsewhere = threads?.runHost;
    // A host settled before the run (apply's prompt) is reported here; every other one goes to a worker.
    const runHost =
      elsewhere &&
      ((host: Host, env: HostEnv) =>
        before?.settled(host.name) ? runOneHost(host, here, env) : elsewhere(host, env));
    return await runHostCommand({
      command: spec.command,
      selector,
      hosts: part.hosts,
      opts: { ...opts, canary: part.canary },
      shard: part.record,
      dir: flags.dir,
      beforeSummary: spec.beforeSummary,
      exitCode: spec.exitCode,
      task: here,
      runHost,
      workers: threads?.count,
    });
  } finally {
    await threads?.close();
    await pool.closeAll();
  }
}

interface ThreadsInput {
  fleet: Inventory;
  flags: Record<string, unknown>;
  opts: FanoutOptions;
  hosts: number;
}

/**
 * The worker threads this run gets (docs/scale.md), or none: one thread is the main thread
 * itself, a command without a worker spec runs there, and so does a run from the TypeScript
 * sources unless --workers asks for more (then it is an error: build first).
 */
async function startThreads<F extends Inventory>(
  spec: HostCommandSpec<F>,
  i: ThreadsInput,
): Promise<WorkerThreads | undefined> {
  if (!spec.worker) return undefined;
  const asked = i.opts.workers;
  const count = workerCount({
    asked,
    hosts: i.hosts,
    concurrency: i.opts.concurrency,
    cores: availableParallelism(),
  });
  if (count <= 1) return undefined;
  if (!threadsAvailable()) {
    if (asked === undefined) return undefined;
    throw new EnvironmentError(
      `--workers ${asked} needs the built CLI`,
      'run npm run build, then node bin/fleet.js; or --workers 1',
    );
  }
  return WorkerThreads.start(count, {
    spec: spec.worker(),
    flags: i.flags,
    inventory: i.fleet,
    maxHandshakes: shareOf(DEFAULT_MAX_HANDSHAKES, count),
    timeoutMs: i.opts.timeoutMs,
  });
}

/** A remote script that did not finish cleanly, as a host failure. */
export function scriptFailure(what: string, code: number | null, stderr: string): HostError {
  const last = stderr.trim().split('\n').slice(-3).join(' | ');
  return new HostError(`${what} failed (exit ${code ?? 'none'})${last ? `: ${last}` : ''}`);
}
