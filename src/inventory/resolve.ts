/**
 * Definitions -> resolved inventory: every host gets all the groups it is in (directly or through
 * children), its profile (its own, else the nearest group's; two different profiles at the same
 * distance is an error naming both groups) and its vars (farthest group first, host last).
 */
import type { Host } from '../model/host.js';
import { ancestorLevels, parentsOf } from './graph.js';
import { buildGroups } from './groups.js';
import type { Problems } from './input/problems.js';
import {
  BUILTIN_GROUPS,
  type ConnectionDefaults,
  type Group,
  type HostDef,
  type Inventory,
  type InventoryDefs,
  type InventorySource,
  type OpenHost,
} from './model.js';

/** Turns a host's merged vars into connection fields (the Ansible formats use this). */
export type FromVars = (host: OpenHost, def: HostDef, p: Problems) => OpenHost;

export interface ResolveOptions {
  fromVars?: FromVars;
  connection?: ConnectionDefaults;
}

export function resolveInventory(
  defs: InventoryDefs,
  source: InventorySource,
  p: Problems,
  opts: ResolveOptions = {},
): Inventory {
  const groups = buildGroups(defs, p);
  const parents = parentsOf(groups);
  const direct = directGroups(groups);
  const hosts = defs.hosts.map((def) => {
    const levels = ancestorLevels(direct.get(def.name) ?? [], parents);
    const host = resolveHost(def, levels, groups, p);
    return settle(opts.fromVars ? opts.fromVars(host, def, p) : host, opts.connection);
  });
  return { hosts, groups, settings: defs.settings, source };
}

/** User and port: the inventory's, else ssh_config's for the address, else root and 22. */
function settle(host: OpenHost, connection: ConnectionDefaults | undefined): Host {
  if (host.user !== undefined && host.port !== undefined) return host as Host;
  const cfg = connection?.(host.address) ?? {};
  return { ...host, user: host.user ?? cfg.user ?? 'root', port: host.port ?? cfg.port ?? 22 };
}

function directGroups(groups: Map<string, Group>): Map<string, string[]> {
  const direct = new Map<string, string[]>();
  for (const g of groups.values()) {
    for (const h of g.hosts) direct.set(h, [...(direct.get(h) ?? []), g.name]);
  }
  return direct;
}

function resolveHost(def: HostDef, levels: string[][], groups: Map<string, Group>, p: Problems): OpenHost {
  const { pos, path, groups: _named, profile: _own, fileVars: _files, ...rest } = def;
  const builtin = new Set<string>(BUILTIN_GROUPS);
  return {
    ...rest,
    groups: levels.flat().filter((g) => !builtin.has(g)),
    vars: mergeVars(levels, groups, def),
    profile: def.profile?.value ?? nearestProfile(def, levels, groups, p),
    declaredAt: pos,
  };
}

function nearestProfile(
  def: HostDef,
  levels: string[][],
  groups: Map<string, Group>,
  p: Problems,
): string | undefined {
  for (const level of levels) {
    const withProfile = level.filter((g) => groups.get(g)?.profile).sort();
    const profiles = [...new Set(withProfile.map((g) => groups.get(g)!.profile!))];
    if (profiles.length > 1) {
      const [a, b] = withProfile.filter((g, i) => i === 0 || groups.get(g)!.profile !== profiles[0]);
      p.add(
        def.pos,
        def.path,
        `host "${def.name}" gets profile "${groups.get(a!)!.profile}" from group "${a}" and "${groups.get(b!)!.profile}" from group "${b}" at the same distance; set profile: on the host or on one of these groups only`,
      );
      return undefined;
    }
    if (profiles.length === 1) return profiles[0];
  }
  return undefined;
}

/**
 * Ansible's precedence: every group's inventory vars (farthest first; same distance by name),
 * then every group's group_vars/ files in the same order, then the host's own, then host_vars/.
 */
function mergeVars(levels: string[][], groups: Map<string, Group>, def: HostDef): Record<string, unknown> {
  const order = [...levels].reverse().flatMap((level) => [...level].sort());
  const out: Record<string, unknown> = {};
  for (const g of order) Object.assign(out, groups.get(g)?.vars);
  for (const g of order) Object.assign(out, groups.get(g)?.fileVars);
  return Object.assign(out, def.vars, def.fileVars);
}
