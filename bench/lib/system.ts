/**
 * The machine-wide settings a large bench run depends on: available memory, and the neighbour
 * (ARP / NDP) tables of the root namespace. Every lab host is a neighbour of the workstation on a
 * lab bridge; past gc_thresh3 entries (1024 by default) the kernel drops new ones ("neighbour
 * table overflow") and connections to the hosts beyond it stall. The bench raises the limits for
 * the run and puts the old values back afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** MemAvailable from /proc/meminfo, in MB. */
export function availableMB(): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

const saved = new Map<string, string>();

function sysctlPath(family: 4 | 6, n: 1 | 2 | 3): string {
  return `/proc/sys/net/ipv${family}/neigh/default/gc_thresh${n}`;
}

/** Room for `hosts` neighbours (twice, plus the machine's own), if the limits are lower. */
export async function raiseNeighbourTables(hosts: number, log: (s: string) => void): Promise<void> {
  if (hosts <= 400) return; // the defaults (512 soft, 1024 hard) hold that many with room
  const want: Record<1 | 2 | 3, number> = { 1: hosts + 128, 2: 2 * hosts + 512, 3: 4 * hosts + 1024 };
  for (const family of [4, 6] as const) {
    for (const n of [1, 2, 3] as const) {
      const path = sysctlPath(family, n);
      const now = readFileSync(path, 'utf8').trim();
      if (Number(now) >= want[n]) continue;
      if (!saved.has(path)) saved.set(path, now);
      writeFileSync(path, String(want[n]));
      log(
        `raised ${path.slice('/proc/sys/'.length).replace(/\//g, '.')} from ${now} to ${want[n]} for ${hosts} hosts`,
      );
    }
  }
}

/** Puts back what raiseNeighbourTables changed. */
export function restoreNeighbourTables(): void {
  for (const [path, value] of saved) {
    try {
      writeFileSync(path, value);
    } catch {
      /* left raised: harmless */
    }
  }
  saved.clear();
}
