/** `fleet unban ADDR|CIDR... [--on SEL]`: remove from inventory/bans.yaml, then lift on the hosts. */
import type { Command } from 'commander';
import { type BanContext, loadBanContext } from '../../bans/context.js';
import { readBanFile, writeBanFile } from '../../bans/file-io.js';
import { removeCidrs } from '../../bans/list.js';
import { withLock } from '../../bans/lock.js';
import { planUnban } from '../../bans/plan.js';
import { InputError } from '../../errors.js';
import { waiting } from './ban.js';
import { addPushOptions, type BanCliOptions, pushToHosts, say, whereFrom } from './bans-shared.js';

export function registerUnban(program: Command): void {
  const cmd = program
    .command('unban <addresses...>')
    .description('lift bans: remove them from inventory/bans.yaml and from every host');
  addPushOptions(cmd).action(async (addresses: string[], _o: unknown, c: Command) => {
    process.exitCode = await runUnban(addresses, c.optsWithGlobals<BanCliOptions>());
  });
}

export async function runUnban(addresses: string[], o: BanCliOptions): Promise<number> {
  const ctx = loadBanContext(whereFrom(o));
  return withLock(ctx.lockFile, () => unbanLocked(ctx, addresses, o), { onWait: waiting });
}

async function unbanLocked(ctx: BanContext, addresses: string[], o: BanCliOptions): Promise<number> {
  const file = await readBanFile(ctx.banFile);
  const plan = planUnban(addresses, file.entries);
  if (plan.problems.length > 0) throw new InputError(plan.problems, 'nothing was lifted');
  for (const note of plan.notes) say(note);
  const change = removeCidrs(
    file.entries,
    plan.targets.map((t) => t.cidr),
  );
  if (change.removed.length > 0) await writeBanFile(file, change.list);
  say(`${ctx.banFile}: ${change.removed.length} removed, ${change.list.length} left`);
  return pushToHosts('unban', { op: 'del', targets: plan.targets }, o);
}
