/**
 * The fleet's dropped packets summed up: lines seen on several hosts counted once (a lab's hosts
 * share one kernel log; a real line never repeats its time, addresses, ports and ID), then the
 * top blocked sources and destination ports. Pure.
 */
import type { Drop } from './parse.js';

export interface HostDrops {
  host: string;
  drops: Drop[];
}

export interface Ranked {
  key: string;
  count: number;
  /** Distinct hosts that dropped it, and a few of the other side (ports of a source, sources of a port). */
  hosts: number;
  related: string[];
}

export interface DropSummary {
  total: number;
  sources: Ranked[];
  ports: Ranked[];
}

export function portKey(d: Drop): string {
  return d.dpt === undefined ? d.proto : `${d.proto}/${d.dpt}`;
}

function identity(d: Drop): string {
  return [d.t, d.src, d.dst, d.proto, d.spt, d.dpt, d.id].join('|');
}

/** Each distinct drop once, with every host that reported it. */
export function distinctDrops(all: readonly HostDrops[]): { drop: Drop; hosts: Set<string> }[] {
  const seen = new Map<string, { drop: Drop; hosts: Set<string> }>();
  for (const { host, drops } of all) {
    for (const drop of drops) {
      const key = identity(drop);
      const hit = seen.get(key) ?? { drop, hosts: new Set<string>() };
      hit.hosts.add(host);
      seen.set(key, hit);
    }
  }
  return [...seen.values()];
}

export function summarizeDrops(all: readonly HostDrops[], top: number): DropSummary {
  const distinct = distinctDrops(all);
  return {
    total: distinct.length,
    sources: rank(distinct, (d) => d.src, portKey, top),
    ports: rank(distinct, portKey, (d) => d.src, top),
  };
}

interface Group {
  count: number;
  hosts: Set<string>;
  other: Map<string, number>;
}

function rank(
  items: readonly { drop: Drop; hosts: Set<string> }[],
  keyOf: (d: Drop) => string,
  otherOf: (d: Drop) => string,
  top: number,
): Ranked[] {
  const groups = new Map<string, Group>();
  for (const { drop, hosts } of items) {
    const g = groups.get(keyOf(drop)) ?? { count: 0, hosts: new Set<string>(), other: new Map() };
    g.count++;
    for (const h of hosts) g.hosts.add(h);
    g.other.set(otherOf(drop), (g.other.get(otherOf(drop)) ?? 0) + 1);
    groups.set(keyOf(drop), g);
  }
  const counts = new Map([...groups].map(([k, g]) => [k, g.count]));
  return topKeys(counts, top).map((key) => {
    const g = groups.get(key)!;
    return { key, count: g.count, hosts: g.hosts.size, related: topKeys(g.other, 3) };
  });
}

/** The keys with the highest counts, ties in byte order. */
function topKeys(counts: ReadonlyMap<string, number>, n: number): string[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([k]) => k);
}
