/**
 * What changed between two sorted lists of installed packages (`name version` lines), as
 * `comm -3 before after` prints it: lines only in `before` flush left, lines only in `after`
 * after one tab. A name in both is an upgrade (or downgrade), only after a new package, only
 * before a removed one. Several versions of one name (rpm's install-only kernels) are joined
 * with spaces. Pure.
 */
import type { PackageChange } from './types.js';

interface Side {
  old: string[];
  new: string[];
}

export function parsePackageDiff(comm: string): PackageChange[] {
  const byName = new Map<string, Side>();
  for (const line of comm.split('\n')) {
    const after = line.startsWith('\t');
    const [name, version] = line.trim().split(/\s+/);
    if (!name || !version) continue;
    const side = byName.get(name) ?? { old: [], new: [] };
    (after ? side.new : side.old).push(version);
    byName.set(name, side);
  }
  return [...byName].map(([name, s]) => ({ name, old: joinOrNull(s.old), new: joinOrNull(s.new) }));
}

function joinOrNull(versions: string[]): string | null {
  return versions.length ? versions.join(' ') : null;
}

/** `name version` lines into a map (several versions of a name joined with spaces). */
export function parseInstalledList(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [name, version] = line.trim().split(/\s+/);
    if (!name || !version) continue;
    const prev = map.get(name);
    map.set(name, prev ? `${prev} ${version}` : version);
  }
  return map;
}
