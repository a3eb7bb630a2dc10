/**
 * Build the resolved group map from definitions: `all` and `ungrouped` first, unknown group
 * names and `children` cycles reported, direct hosts filled, roots made children of `all`,
 * hosts without a group put in `ungrouped` (Ansible's reconcile rules).
 */
import { findCycle } from './graph.js';
import type { Problems } from './input/problems.js';
import { didYouMean } from './input/suggest.js';
import type { Group, InventoryDefs, Located } from './model.js';

export function buildGroups(defs: InventoryDefs, p: Problems): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const name of new Set(['all', 'ungrouped', ...defs.groups.keys()])) {
    const d = defs.groups.get(name);
    groups.set(name, {
      name,
      children: [],
      hosts: [...(d?.hosts ?? [])],
      profile: d?.profile?.value,
      vars: d?.vars ?? {},
      ...(d?.fileVars ? { fileVars: d.fileVars } : {}),
    });
  }
  for (const d of defs.groups.values()) {
    const kids = d.children.filter((c) => !(d.name === 'all' && c.value === 'ungrouped'));
    groups.get(d.name)!.children = kids.flatMap((c) => (checkChild(d.name, c, groups, p) ? [c.value] : []));
  }
  breakCycles(defs, groups, p);
  addHostMembership(defs, groups, p);
  reconcile(defs, groups);
  return groups;
}

function checkChild(parent: string, c: Located<string>, groups: Map<string, Group>, p: Problems): boolean {
  if (c.value === 'all' || c.value === 'ungrouped') {
    p.add(c.pos, c.path, `"${c.value}" is a built-in group and cannot be a child of "${parent}"`);
    return false;
  }
  return knownGroup(c, groups, p);
}

export function knownGroup(c: Located<string>, groups: Map<string, Group>, p: Problems): boolean {
  if (groups.has(c.value)) return true;
  const names = [...groups.keys()].filter((g) => g !== 'ungrouped');
  p.add(
    c.pos,
    c.path,
    `unknown group "${c.value}"${didYouMean(c.value, names)}; declare it under groups: (e.g. "${c.value}: {}")`,
  );
  return false;
}

function breakCycles(defs: InventoryDefs, groups: Map<string, Group>, p: Problems): void {
  for (let cycle = findCycle(groups); cycle; cycle = findCycle(groups)) {
    const [from, to] = [cycle[cycle.length - 2]!, cycle[cycle.length - 1]!];
    const at = defs.groups.get(from)?.children.find((c) => c.value === to);
    p.add(
      at?.pos,
      at?.path,
      `groups form a cycle through children: ${cycle.join(' -> ')}; remove one of these children`,
    );
    const g = groups.get(from)!;
    g.children = g.children.filter((c) => c !== to);
  }
}

function addHostMembership(defs: InventoryDefs, groups: Map<string, Group>, p: Problems): void {
  for (const h of defs.hosts) {
    for (const g of h.groups) {
      if (!knownGroup(g, groups, p)) continue;
      const members = groups.get(g.value)!.hosts;
      if (!members.includes(h.name)) members.push(h.name);
    }
  }
}

function reconcile(defs: InventoryDefs, groups: Map<string, Group>): void {
  const all = groups.get('all')!;
  all.children.unshift('ungrouped');
  const hasParent = new Set([...groups.values()].flatMap((g) => g.children));
  for (const name of groups.keys()) {
    if (name !== 'all' && !hasParent.has(name) && !all.children.includes(name)) all.children.push(name);
  }
  const grouped = new Set([...groups.values()].filter((g) => g.name !== 'all').flatMap((g) => g.hosts));
  const ungrouped = groups.get('ungrouped')!;
  for (const h of defs.hosts) if (!grouped.has(h.name)) ungrouped.hosts.push(h.name);
}
