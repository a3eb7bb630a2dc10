/**
 * What the hosts hold: `fleet bans held [--on SEL]` lists every ban the hosts hold (how many
 * hosts, time left there, whether bans.yaml lists it); `fleet bans pull [--on SEL]` writes the
 * host-held bans the list lacks into inventory/bans.yaml (comments kept, atomic, under the ban
 * list's lock), so a stale checkout catches up with what today's incident banned.
 */
import type { Command } from 'commander';
import { loadBanContext } from '../../bans/context.js';
import { readBanFile, writeBanFile } from '../../bans/file-io.js';
import { type HostHeld, heldRows, pulledEntries, renderHeld } from '../../bans/held.js';
import { addEntries } from '../../bans/list.js';
import { withLock } from '../../bans/lock.js';
import type { RunReport } from '../../model/result.js';
import type { HeldBan } from '../../ops/ban/push.js';
import { waiting, whoAmI } from './ban.js';
import { addPushOptions, type BanCliOptions, pushToHosts, say, whereFrom } from './bans-shared.js';

export function registerBansHosts(bans: Command): void {
  const held = bans
    .command('held')
    .description('ask the hosts which bans they hold (time left on each, and whether bans.yaml lists them)');
  addPushOptions(held).action(async (_o: unknown, c: Command) => {
    process.exitCode = await runHeld(c.optsWithGlobals<BanCliOptions>(), false);
  });
  const pull = bans
    .command('pull')
    .description('write the bans the hosts hold that inventory/bans.yaml lacks into it');
  addPushOptions(pull).action(async (_o: unknown, c: Command) => {
    process.exitCode = await runHeld(c.optsWithGlobals<BanCliOptions>(), true);
  });
}

async function runHeld(o: BanCliOptions, pull: boolean): Promise<number> {
  const ctx = loadBanContext(whereFrom(o));
  return withLock(
    ctx.lockFile,
    async () => {
      let report: RunReport | undefined;
      const code = await pushToHosts(
        pull ? 'bans-pull' : 'bans-held',
        { op: 'list', targets: [] },
        o,
        (r) => {
          report = r;
        },
      );
      const file = await readBanFile(ctx.banFile);
      const rows = heldRows(perHost(report), file.entries);
      if (!pull) {
        process.stdout.write(renderHeld(rows, report?.hosts.length ?? 0));
        return code;
      }
      const change = addEntries(file.entries, pulledEntries(rows, new Date(), whoAmI(o.who as string)));
      if (change.added.length > 0) await writeBanFile(file, change.list);
      say(`${ctx.banFile}: ${change.added.length} host-held ban(s) added, ${change.list.length} in all`);
      return code;
    },
    { onWait: waiting },
  );
}

function perHost(report: RunReport | undefined): HostHeld[] {
  return (report?.hosts ?? []).flatMap((h) => {
    const held = h.data?.held as HeldBan[] | undefined;
    return held ? [{ host: h.host, held }] : [];
  });
}
