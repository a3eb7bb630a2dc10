/**
 * `fleet bans [list]`: the ban list. `fleet bans sync [--on SEL]`: every host's bans become the
 * list's live bans (missing added, stale removed). `fleet bans expire`: lift bans past their
 * expiry everywhere and drop them from the list (for cron).
 */
import type { Command } from 'commander';
import { loadBanContext } from '../../bans/context.js';
import { banFilePath, readBanFile, writeBanFile } from '../../bans/file-io.js';
import { hostTargets, liveEntries, removeExpired } from '../../bans/list.js';
import { withLock } from '../../bans/lock.js';
import { checkList } from '../../bans/plan.js';
import { banListJson, renderBanList } from '../../bans/render-list.js';
import { InputError } from '../../errors.js';
import { terminalText } from '../../report/terminal-text.js';
import { waiting } from './ban.js';
import { registerBansHosts } from './bans-hosts.js';
import { registerBansImport } from './bans-import.js';
import { addPushOptions, type BanCliOptions, pushToHosts, say, whereFrom } from './bans-shared.js';

export function registerBans(program: Command): void {
  const bans = program.command('bans').description("list, sync or expire the fleet's ban list");
  bans
    .command('list', { isDefault: true })
    .description('print the ban list with expiry (no host is contacted)')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, c: Command) => {
      const o = c.optsWithGlobals<{ dir: string; json?: boolean }>();
      const { entries } = await readBanFile(banFilePath(o.dir));
      const now = new Date();
      process.stdout.write(
        o.json
          ? `${JSON.stringify(banListJson(entries, now), null, 2)}\n`
          : terminalText(renderBanList(entries, now), { lines: true }),
      );
    });
  const sync = bans
    .command('sync')
    .description(
      "make every host's bans the list's (adds missing; keeps and names host-held bans the list lacks unless --prune-bans)",
    )
    .option('--prune-bans', 'also lift bans the hosts hold that the list lacks');
  addPushOptions(sync).action(async (_o: unknown, c: Command) => {
    process.exitCode = await runSync(c.optsWithGlobals<BanCliOptions>());
  });
  const expire = bans
    .command('expire')
    .description('lift bans past their expiry on every host and drop them from the list');
  addPushOptions(expire).action(async (_o: unknown, c: Command) => {
    process.exitCode = await runExpire(c.optsWithGlobals<BanCliOptions>());
  });
  registerBansHosts(bans);
  registerBansImport(bans);
}

export async function runSync(o: BanCliOptions): Promise<number> {
  const ctx = loadBanContext(whereFrom(o));
  return withLock(
    ctx.lockFile,
    async () => {
      const file = await readBanFile(ctx.banFile);
      const now = new Date();
      const live = liveEntries(file.entries, now);
      const problems = checkList(live, ctx.ranges, ctx.banFile, file.positions);
      if (problems.length > 0) throw new InputError(problems, 'remove these entries; nothing was sent');
      const expired = file.entries.length - live.length;
      if (expired > 0) say(`${expired} expired ban(s) still listed are lifted (run: fleet bans expire)`);
      say(`syncing ${live.length} ban(s) to ${ctx.hosts.length} host(s)`);
      const keepHeld = o.pruneBans !== true;
      return pushToHosts('bans-sync', { op: 'sync', targets: hostTargets(file.entries, now), keepHeld }, o);
    },
    { onWait: waiting },
  );
}

export async function runExpire(o: BanCliOptions): Promise<number> {
  const ctx = loadBanContext(whereFrom(o));
  return withLock(
    ctx.lockFile,
    async () => {
      const file = await readBanFile(ctx.banFile);
      const change = removeExpired(file.entries, new Date());
      if (change.removed.length === 0) {
        say('no ban has expired');
        return 0;
      }
      await writeBanFile(file, change.list);
      say(`${ctx.banFile}: ${change.removed.length} expired ban(s) removed, ${change.list.length} left`);
      return pushToHosts('bans-expire', { op: 'del', targets: change.removed }, o);
    },
    { onWait: waiting },
  );
}
