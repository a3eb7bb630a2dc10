/**
 * From what the operator typed to what will happen, before anything is written or sent: every
 * problem at once (bad address, too wide, covers a protected range, bad --ttl/--reason/--who).
 * Pure: the caller supplies the clock, the protected ranges and the current list.
 */
import type { Problem, SourcePos } from '../errors.js';
import { type BanTarget, displayCidr, isTooWide, overlaps, parseBanTarget } from './address.js';
import { tooWideMessage } from './file-parse.js';
import { conflictMessage, findConflict, type ProtectedRange } from './guard.js';
import { makeEntry } from './list.js';
import { parseTtl } from './ttl.js';
import type { BanEntry, BanRequest } from './types.js';

export interface BanFlags {
  ttl?: string;
  reason?: string;
  who: string;
  force: boolean;
}

export interface BanPlan {
  entries: BanEntry[];
  problems: Problem[];
  /** Things worth saying that are not errors (host bits cleared, duplicates). */
  notes: string[];
}

export function planBan(
  inputs: readonly string[],
  flags: BanFlags,
  now: Date,
  ranges: readonly ProtectedRange[],
): BanPlan {
  const { problems, req } = banRequest(flags, now);
  const notes: string[] = [];
  const entries: BanEntry[] = [];
  for (const input of inputs) {
    const t = readTarget(input, problems, notes);
    if (!t) continue;
    const conflict = findConflict(t, ranges);
    if (conflict) problems.push({ message: conflictMessage(input, t, conflict) });
    else if (isTooWide(t) && !flags.force) problems.push({ message: tooWideMessage(t.cidr) });
    else if (entries.some((e) => e.cidr === t.cidr)) notes.push(`${input} is given twice; banning it once`);
    else entries.push(makeEntry(t, req, isTooWide(t)));
  }
  return { entries, problems, notes };
}

/** The flags checked (--ttl, --reason, --who) and what they ask for. */
export function banRequest(flags: BanFlags, now: Date): { problems: Problem[]; req: BanRequest } {
  const ttl = flags.ttl === undefined ? undefined : parseTtl(flags.ttl);
  const req = {
    who: flags.who,
    when: now,
    reason: flags.reason,
    ttlMs: ttl?.ok ? ttl.ms : undefined,
    force: flags.force,
  };
  return { problems: checkFlags(flags), req };
}

function readTarget(input: string, problems: Problem[], notes: string[]): BanTarget | undefined {
  const r = parseBanTarget(input);
  if (!r.ok) {
    problems.push({ message: r.message });
    return undefined;
  }
  if (r.hostBitsCleared) notes.push(`${input} has host bits set: using ${r.target.cidr}`);
  return r.target;
}

function checkFlags(flags: BanFlags): { message: string }[] {
  const problems: { message: string }[] = [];
  const ttl = flags.ttl === undefined ? undefined : parseTtl(flags.ttl);
  if (ttl && !ttl.ok) problems.push({ message: ttl.message });
  if (flags.reason !== undefined && !isPlainText(flags.reason, 300)) {
    problems.push({ message: '--reason must be one line of at most 300 characters' });
  }
  if (!isPlainText(flags.who, 64) || flags.who.trim() === '') {
    problems.push({ message: '--who (or $USER) must be a name of 1-64 printable characters' });
  }
  return problems;
}

function isPlainText(s: string, max: number): boolean {
  return s.length <= max && !/[\p{Cc}]/u.test(s);
}

export interface UnbanPlan {
  targets: BanTarget[];
  problems: Problem[];
  notes: string[];
}

/** What unban lifts: exact CIDRs. Not listed is a note (still removed from hosts: stale there). */
export function planUnban(inputs: readonly string[], list: readonly BanEntry[]): UnbanPlan {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const targets: BanTarget[] = [];
  for (const input of inputs) {
    const t = readTarget(input, problems, notes);
    if (!t || targets.some((x) => x.cidr === t.cidr)) continue;
    targets.push(t);
    if (!list.some((e) => e.cidr === t.cidr))
      notes.push(`${displayCidr(t.cidr)} is not in the ban list; lifting it from the hosts anyway`);
    const wider = list.find((e) => e.cidr !== t.cidr && e.family === t.family && overlaps(e.cidr, t.cidr));
    if (wider) notes.push(`${displayCidr(t.cidr)} is still covered by the ban on ${displayCidr(wider.cidr)}`);
  }
  return { targets, problems, notes };
}

/**
 * Guard the whole list (sync, apply: a hand-edited entry must not cut the management path).
 * With `positions` (BanFile.positions), each problem names the entry's file:line:column.
 */
export function checkList(
  list: readonly BanEntry[],
  ranges: readonly ProtectedRange[],
  file: string,
  positions?: ReadonlyMap<string, SourcePos>,
): Problem[] {
  return list.flatMap((e) => {
    const c = findConflict(e, ranges);
    if (!c) return [];
    const message = conflictMessage(displayCidr(e.cidr), e, c);
    const pos = positions?.get(e.cidr);
    return [pos ? { pos, message } : { message: `${file}: ${message}` }];
  });
}
