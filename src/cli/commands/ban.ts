/**
 * `fleet ban ADDR|CIDR... [--ttl 24h] [--reason TEXT] [--who NAME] [--force] [--on SEL]`:
 * validate everything (exit 2, nothing written or sent, on any problem), add to
 * inventory/bans.yaml, then push to every selected host at once.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { type BanContext, loadBanContext } from '../../bans/context.js';
import { readBanFile, writeBanFile } from '../../bans/file-io.js';
import { addEntries, hostTargets } from '../../bans/list.js';
import { withLock } from '../../bans/lock.js';
import { type BanPlan, planBan } from '../../bans/plan.js';
import { InputError } from '../../errors.js';
import { addPushOptions, type BanCliOptions, pushToHosts, say, whereFrom } from './bans-shared.js';

interface BanOptions extends BanCliOptions {
  ttl?: string;
  reason?: string;
  who?: string;
  force?: boolean;
}

export function registerBan(program: Command): void {
  const cmd = program
    .command('ban <addresses...>')
    .description('block addresses (IPv4/IPv6, CIDR) on every host, now, and keep them in inventory/bans.yaml')
    .option('--ttl <duration>', 'lift the ban after this long (30m, 24h, 7d): the hosts lift it themselves')
    .option('--reason <text>', 'why, for the ban list')
    .option('--who <name>', 'who bans (default: $USER)')
    .option(
      '--force',
      'allow a CIDR wider than /8 (IPv4) or /32 (IPv6); never one covering a management source',
    )
    .addHelpText(
      'after',
      '\nThe ban list is fleet-wide: hosts not selected with --on get it at `fleet bans sync` or `fleet apply`.',
    );
  addPushOptions(cmd).action(async (addresses: string[], _o: unknown, c: Command) => {
    process.exitCode = await runBan(addresses, c.optsWithGlobals<BanOptions>());
  });
}

export async function runBan(addresses: string[], o: BanOptions): Promise<number> {
  const ctx = loadBanContext(whereFrom(o));
  const plan = planBan(addresses, flagsOf(o), new Date(), ctx.ranges);
  for (const note of plan.notes) say(note);
  if (plan.problems.length > 0) throw new InputError(plan.problems, 'nothing was banned');
  return withLock(ctx.lockFile, () => banLocked(ctx, plan, o), { onWait: waiting });
}

function flagsOf(o: BanOptions) {
  return { ttl: o.ttl, reason: o.reason, who: whoAmI(o.who), force: o.force === true };
}

/** --who, else $USER, else the login name. */
export function whoAmI(who: string | undefined): string {
  return who ?? process.env.USER ?? safeUser();
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function banLocked(ctx: BanContext, plan: BanPlan, o: BanOptions): Promise<number> {
  const file = await readBanFile(ctx.banFile);
  const change = addEntries(file.entries, plan.entries);
  if (change.added.length + change.updated.length > 0) await writeBanFile(file, change.list);
  say(
    `${ctx.banFile}: ${change.added.length} added, ${change.updated.length} updated, ${change.list.length} in all`,
  );
  const wanted = new Set(plan.entries.map((e) => e.cidr));
  const targets = hostTargets(
    change.list.filter((e) => wanted.has(e.cidr)),
    new Date(),
  );
  return pushToHosts('ban', { op: 'add', targets }, o);
}

export function waiting(pid: number): void {
  say(`waiting for another fleet ban command (pid ${pid}) to finish with the ban list`);
}
