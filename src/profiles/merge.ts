/**
 * `extends` merge rules (docs/profiles.md): parents merge left to right, then the profile itself.
 * Scalars and sub-fields: the later one wins. Lists (ssh.sources) are replaced whole. services:
 * merged by name (a later entry replaces the whole service; `null` removes it). log: fields merge,
 * `null` removes. preserve, takeover: union. raw: parents' rules first, then the profile's.
 */
import type { ProfileLayer } from './layer.js';

export type Merged = Pick<
  ProfileLayer,
  'policies' | 'ssh' | 'services' | 'icmp' | 'log' | 'preserve' | 'takeover' | 'raw'
>;

export function emptyMerged(): Merged {
  return { policies: {}, ssh: {}, services: new Map(), icmp: {}, preserve: [], takeover: [], raw: [] };
}

export function mergeLayer(base: Merged, top: Merged): Merged {
  return {
    policies: { ...base.policies, ...defined(top.policies) },
    ssh: { ...base.ssh, ...defined(top.ssh) },
    services: new Map([...base.services, ...top.services]),
    icmp: { ...base.icmp, ...defined(top.icmp) },
    log: mergeLog(base.log, top.log),
    preserve: [...new Set([...base.preserve, ...top.preserve])],
    takeover: [...new Set([...base.takeover, ...top.takeover])],
    raw: [...base.raw, ...top.raw],
  };
}

function mergeLog(base: Merged['log'], top: Merged['log']): Merged['log'] {
  if (top === null) return null;
  if (top === undefined) return base;
  return { ...(base ?? {}), ...defined(top) };
}

/** Drops keys whose value is undefined (not given), keeping null (remove). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
