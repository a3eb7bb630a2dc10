/**
 * `fleet bans import FILE --reason R [--ttl T] [--force] [--on SEL]`: a blocklist feed (Spamhaus
 * DROP, FireHOL levels: one address or CIDR a line, `#`/`;` comments) into inventory/bans.yaml,
 * then one push: the hosts load the whole list through the ipset swap (`bans sync`, keeping
 * host-held bans). Every line is checked first; one bad line (named FILE:line:column) and
 * nothing is written or sent.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { isTooWide } from '../../bans/address.js';
import { loadBanContext } from '../../bans/context.js';
import { parseFeed } from '../../bans/feed.js';
import { readBanFile, writeBanFile } from '../../bans/file-io.js';
import { addEntries, hostTargets, makeEntry } from '../../bans/list.js';
import { withLock } from '../../bans/lock.js';
import { banRequest } from '../../bans/plan.js';
import { InputError } from '../../errors.js';
import { waiting, whoAmI } from './ban.js';
import { addPushOptions, type BanCliOptions, pushToHosts, say, whereFrom } from './bans-shared.js';

interface ImportOptions extends BanCliOptions {
  reason?: string;
  ttl?: string;
  who?: string;
  force?: boolean;
}

export function registerBansImport(bans: Command): void {
  const cmd = bans
    .command('import <file>')
    .description('ban every address/CIDR of a blocklist feed (# and ; comments), in one push')
    .requiredOption('--reason <text>', 'why, for every entry (e.g. "spamhaus drop 2026-12-06")')
    .option(
      '--ttl <duration>',
      'lift these bans after this long (30m, 24h, 7d): the hosts lift them themselves',
    )
    .option('--who <name>', 'who bans (default: $USER)')
    .option('--force', 'allow CIDRs wider than /8 (IPv4) or /32 (IPv6); never a protected one');
  addPushOptions(cmd).action(async (file: string, _o: unknown, c: Command) => {
    process.exitCode = await runImport(file, c.optsWithGlobals<ImportOptions>());
  });
}

export async function runImport(file: string, o: ImportOptions): Promise<number> {
  const ctx = loadBanContext(whereFrom(o));
  const where = path.resolve(o.dir, file);
  const text = await readFile(where, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: cannot read the feed (${err.code ?? err.message})`);
  });
  const feed = parseFeed(text, file, ctx.ranges, o.force === true);
  const flags = { ttl: o.ttl, reason: o.reason, who: whoAmI(o.who), force: o.force === true };
  const now = new Date();
  const { problems, req } = banRequest(flags, now);
  problems.push(...feed.problems);
  if (problems.length > 0) throw new InputError(problems, 'nothing was banned');
  if (feed.targets.length === 0) throw new InputError(`${file}: no address or CIDR in the feed`);
  const entries = feed.targets.map((t) => makeEntry(t, req, isTooWide(t)));
  say(`${file}: ${feed.lines} line(s), ${entries.length} distinct ban(s)`);
  return withLock(
    ctx.lockFile,
    async () => {
      const list = await readBanFile(ctx.banFile);
      const change = addEntries(list.entries, entries);
      if (change.added.length + change.updated.length > 0) await writeBanFile(list, change.list);
      say(
        `${ctx.banFile}: ${change.added.length} added, ${change.updated.length} updated, ${change.list.length} in all`,
      );
      const targets = hostTargets(change.list, new Date());
      return pushToHosts('bans-import', { op: 'sync', targets, keepHeld: true }, o);
    },
    { onWait: waiting },
  );
}
