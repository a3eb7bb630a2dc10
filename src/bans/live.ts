/**
 * The ban list as plan, apply, audit, validate and compile read it: the live entries, checked by
 * the ban guard before anything is compiled or sent. An entry the guard refuses stops every one
 * of them (exit 2, naming the entry in bans.yaml), `--force` included: apply syncs the ban sets
 * before the host's backup and watchdog, so a refused entry there would cut the host off for good.
 */
import { InputError, type SourcePos } from '../errors.js';
import type { Inventory } from '../inventory/index.js';
import type { Ban } from '../model/ban.js';
import { guardRanges } from './context.js';
import { banFilePath, readBanFile } from './file-io.js';
import { liveEntries } from './list.js';
import { checkList } from './plan.js';
import type { BanEntry } from './types.js';

export interface LiveBans {
  /** What the compiler and the ban sync take. */
  bans: Ban[];
  /** The same, as listed (for the guard). */
  entries: BanEntry[];
  file: string;
  /** Where each entry is written in the file (for the guard's line:column). */
  positions: ReadonlyMap<string, SourcePos>;
}

/** The bans in force now, from inventory/bans.yaml (none when the file is absent). */
export async function readLiveBans(dir: string, now = new Date()): Promise<LiveBans> {
  const file = await readBanFile(banFilePath(dir));
  const entries = liveEntries(file.entries, now);
  const bans = entries.map(({ cidr, family, reason, expires }) => ({ cidr, family, reason, expires }));
  return { bans, entries, file: file.path, positions: file.positions };
}

/** The ban guard over the live list: throws one InputError naming every refused entry. */
export function checkLiveBans(live: LiveBans, inventory: Inventory): void {
  const problems = checkList(live.entries, guardRanges(inventory), live.file, live.positions);
  if (problems.length === 0) return;
  throw new InputError(
    problems,
    `remove these entries from ${live.file} (a ban has no watchdog; to block such a range, change a profile and apply it); nothing was sent`,
  );
}
