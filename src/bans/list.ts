/** The ban list as a value: pure add, remove and expire. Entries are unique by CIDR. */
import { banUntil } from '../model/ban.js';
import type { BanTarget } from './address.js';
import { expiryAfter } from './ttl.js';
import type { BanEntry, BanRequest } from './types.js';

export interface ListChange {
  list: BanEntry[];
  /** Entries new to the list. */
  added: BanEntry[];
  /** Entries already listed whose reason or expiry changed. */
  updated: BanEntry[];
  /** Entries removed from the list. */
  removed: BanEntry[];
  /** CIDRs asked to be removed that were not listed. */
  missing: string[];
}

const NO_CHANGE = { added: [], updated: [], removed: [], missing: [] };

export function makeEntry(t: BanTarget, req: BanRequest, force = false): BanEntry {
  const e: BanEntry = { cidr: t.cidr, family: t.family, who: req.who, when: req.when.toISOString() };
  if (req.reason !== undefined) e.reason = req.reason;
  if (req.ttlMs !== undefined) e.expires = expiryAfter(req.when, req.ttlMs);
  if (force) e.force = true;
  return e;
}

/** Add entries; a CIDR already listed keeps its origin but takes the new reason and expiry. */
export function addEntries(list: readonly BanEntry[], entries: readonly BanEntry[]): ListChange {
  const out = [...list];
  const change: ListChange = { ...NO_CHANGE, list: out, added: [], updated: [] };
  for (const e of entries) {
    const i = out.findIndex((x) => x.cidr === e.cidr);
    if (i < 0) {
      out.push(e);
      change.added.push(e);
      continue;
    }
    const merged = mergeEntry(out[i]!, e);
    if (merged !== out[i]) change.updated.push(merged);
    out[i] = merged;
  }
  return change;
}

function mergeEntry(old: BanEntry, next: BanEntry): BanEntry {
  const reason = next.reason ?? old.reason;
  const expires = next.expires ?? old.expires;
  if (reason === old.reason && expires === old.expires) return old;
  const e: BanEntry = { ...old };
  if (reason !== undefined) e.reason = reason;
  if (expires !== undefined) e.expires = expires;
  return e;
}

export function removeCidrs(list: readonly BanEntry[], cidrs: readonly string[]): ListChange {
  const drop = new Set(cidrs);
  const removed = list.filter((e) => drop.has(e.cidr));
  const found = new Set(removed.map((e) => e.cidr));
  const missing = [...drop].filter((c) => !found.has(c));
  return { ...NO_CHANGE, list: list.filter((e) => !drop.has(e.cidr)), removed, missing };
}

export function isExpired(e: BanEntry, now: Date): boolean {
  return e.expires !== undefined && Date.parse(e.expires) <= now.getTime();
}

/** Split the list into the bans still in force and the ones past their expiry. */
export function removeExpired(list: readonly BanEntry[], now: Date): ListChange {
  const removed = list.filter((e) => isExpired(e, now));
  return { ...NO_CHANGE, list: list.filter((e) => !isExpired(e, now)), removed };
}

export function liveEntries(list: readonly BanEntry[], now: Date): BanEntry[] {
  return list.filter((e) => !isExpired(e, now));
}

/** A ban as the hosts get it: the seconds it has left (their ipset lifts it then), or over. */
export interface HostTarget {
  cidr: string;
  family: BanTarget['family'];
  /** Absent: permanent. */
  ttlSeconds?: number;
  /** The epoch second it ends (hosts without ipset write it into the ban's rule). */
  until?: number;
  /** Listed but past its expiry: a sync lifts it (even one that keeps host-held bans). */
  over?: boolean;
}

export function hostTargets(list: readonly BanEntry[], now: Date): HostTarget[] {
  return list.map((e) => {
    const t: HostTarget = { cidr: e.cidr, family: e.family };
    if (e.expires === undefined) return t;
    const ms = Date.parse(e.expires) - now.getTime();
    if (ms <= 0) return { ...t, over: true };
    return { ...t, ttlSeconds: Math.ceil(ms / 1000), until: banUntil(e.expires) };
  });
}
