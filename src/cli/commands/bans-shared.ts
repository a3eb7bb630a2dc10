/**
 * What `fleet ban`, `fleet unban` and `fleet bans sync|expire` share: the --on/-i flags, the
 * fan-out defaults of an incident (100 hosts at once, 60 s per host), and the push itself, whose
 * closing lines say which hosts have the change and which could not be reached.
 */
import { type Command, Option } from 'commander';
import type { BanContext, Where } from '../../bans/context.js';
import { openPool } from '../../bans/context.js';
import type { HostTask } from '../../engine/index.js';
import type { ExitCode } from '../../errors.js';
import type { Host } from '../../model/host.js';
import type { PushInput } from '../../ops/ban/push.js';
import { banHostTask } from '../../ops/ban/task.js';
import { addFanoutOptions, readFanoutOptions } from '../fanout-options.js';
import { runHostCommand } from '../run-command.js';

export const BAN_CONCURRENCY = '100';

export interface BanCliOptions {
  dir: string;
  on?: string;
  limit?: string;
  inventory?: string;
  banMode?: 'auto' | 'ipset' | 'rules';
  [key: string]: unknown;
}

/** --on, -i, the fan-out flags with a ban's defaults, and the hidden --ban-mode (tests). */
export function addPushOptions(cmd: Command): Command {
  cmd
    .option('--on <selector>', 'push to these hosts now (default: all; the list stays fleet-wide)')
    .option('-i, --inventory <path>', 'use this inventory instead of inventory/ [env FLEET_INVENTORY]')
    .addOption(
      new Option('--ban-mode <mode>').choices(['auto', 'ipset', 'rules']).default('auto').hideHelp(),
    );
  addFanoutOptions(cmd, { timeout: '60s' });
  const concurrency = cmd.options.find((o) => o.long === '--concurrency');
  if (concurrency) concurrency.defaultValue = BAN_CONCURRENCY;
  cmd.setOptionValueWithSource('concurrency', BAN_CONCURRENCY, 'default');
  return cmd;
}

export function whereFrom(o: BanCliOptions): Where {
  return { dir: o.dir, inventory: o.inventory ?? process.env.FLEET_INVENTORY, on: o.on, limit: o.limit };
}

export function say(line: string): void {
  process.stderr.write(`fleet: ${line}\n`);
}

/** Push `input` to the context's hosts; report; return the exit code. */
export async function pushToHosts(
  command: string,
  ctx: BanContext,
  input: Omit<PushInput, 'mode'>,
  o: BanCliOptions,
): Promise<ExitCode> {
  const opts = readFanoutOptions({ ...o, limit: undefined });
  const pool = openPool(ctx.inventory);
  const outcome = new Map<string, string>();
  const inner = banHostTask(pool, { ...input, mode: o.banMode ?? 'auto', timeoutMs: opts.timeoutMs });
  const task: HostTask<Host> = async (host, tctx) => {
    const r = await inner(host, tctx).catch((err: { status?: string }) => {
      outcome.set(host.name, err?.status === 'unreachable' ? 'unreachable' : 'failed');
      throw err;
    });
    outcome.set(host.name, r.status);
    return r;
  };
  try {
    const code = await runHostCommand({
      command,
      selector: ctx.selector,
      hosts: ctx.hosts,
      task,
      opts,
      dir: o.dir,
    });
    closingLines(command, ctx.hosts, outcome);
    return code;
  } finally {
    await pool.closeAll();
  }
}

function closingLines(command: string, hosts: readonly Host[], outcome: Map<string, string>): void {
  const names = (want: (s: string | undefined) => boolean) =>
    hosts.filter((h) => want(outcome.get(h.name))).map((h) => h.name);
  const done = names((s) => s === 'changed' || s === 'unchanged');
  const unreachable = names((s) => s === 'unreachable');
  const failed = names((s) => s === 'failed' || s === undefined);
  say(`${command}: done on ${done.length} of ${hosts.length} host(s)`);
  if (unreachable.length) say(`not reached: ${unreachable.join(', ')} (retry with: fleet bans sync)`);
  if (failed.length)
    say(`failed or not tried: ${failed.join(', ')} (see the report; retry with: fleet bans sync)`);
}
