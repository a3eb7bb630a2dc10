/**
 * What the hosts hold (`fleet bans held`, `fleet bans pull`): the bans each host reported,
 * merged into one row per CIDR, and the entries `pull` adds to inventory/bans.yaml for those the
 * list lacks. Pure.
 */
import { type BanTarget, displayCidr } from './address.js';
import { expiryAfter } from './ttl.js';
import type { BanEntry } from './types.js';

export interface HostHeld {
  host: string;
  /** until: rules mode, the epoch second the host's rule says it ends. */
  held: readonly (BanTarget & { timeout: number; until?: number })[];
}

export interface HeldRow extends BanTarget {
  hosts: string[];
  /** Seconds left on the host that keeps it longest; null: permanent on some host. */
  longest: number | null;
  /** The latest end a host's rule names (rules mode), so `pull` records exactly that end. */
  until?: number;
  listed: boolean;
}

export function heldRows(perHost: readonly HostHeld[], list: readonly BanEntry[]): HeldRow[] {
  const listed = new Set(list.map((e) => e.cidr));
  const rows = new Map<string, HeldRow>();
  for (const { host, held } of perHost) {
    for (const h of held) {
      const row = rows.get(h.cidr) ?? {
        cidr: h.cidr,
        family: h.family,
        hosts: [],
        longest: 0,
        listed: listed.has(h.cidr),
      };
      row.hosts.push(host);
      row.longest = row.longest === null || h.timeout === 0 ? null : Math.max(row.longest, h.timeout);
      if (h.until) row.until = Math.max(row.until ?? 0, h.until);
      rows.set(h.cidr, row);
    }
  }
  return [...rows.values()].sort((a, b) => (a.cidr < b.cidr ? -1 : a.cidr > b.cidr ? 1 : 0));
}

/** Entries for the rows the list lacks: permanent if any host holds it so, else its longest time. */
export function pulledEntries(rows: readonly HeldRow[], now: Date, who: string): BanEntry[] {
  return rows
    .filter((r) => !r.listed)
    .map((r) => {
      const e: BanEntry = { cidr: r.cidr, family: r.family, who, when: now.toISOString() };
      e.reason = `pulled from ${r.hosts.length} host(s): ${r.hosts.slice(0, 3).join(', ')}${r.hosts.length > 3 ? ', ...' : ''}`;
      // A rule's own end when a host names one (its compiled rule is then the same), else the time left.
      if (r.longest !== null)
        e.expires = r.until ? new Date(r.until * 1000).toISOString() : expiryAfter(now, r.longest * 1000);
      return e;
    });
}

export function renderHeld(rows: readonly HeldRow[], hostCount: number): string {
  if (rows.length === 0) return `no host holds a ban (${hostCount} host(s) asked)\n`;
  const lines = rows.map((r) => {
    const left = r.longest === null ? 'permanent' : `${r.longest}s left`;
    const list = r.listed ? 'listed' : 'NOT in bans.yaml';
    return [displayCidr(r.cidr), `${r.hosts.length}/${hostCount} hosts`, left, list];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...lines.map((l) => l[i]!.length)));
  return `${lines.map((l) => l.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ')).join('\n')}\n`;
}
