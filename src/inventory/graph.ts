/** The group graph: parents, ancestor levels, cycles. Pure functions over the Group map. */
import type { Group } from './model.js';

export function parentsOf(groups: Map<string, Group>): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const g of groups.values()) {
    for (const child of g.children) parents.set(child, [...(parents.get(child) ?? []), g.name]);
  }
  return parents;
}

/** Groups by distance: level 0 is `start`, level 1 their parents, and so on; each group once. */
export function ancestorLevels(start: string[], parents: Map<string, string[]>): string[][] {
  const seen = new Set(start);
  const levels = [start];
  for (let level = start; level.length; ) {
    const next = level.flatMap((g) => parents.get(g) ?? []).filter((g) => !seen.has(g) && seen.add(g));
    if (next.length) levels.push(next);
    level = next;
  }
  return levels;
}

/** Group, then its children, then grandchildren (breadth first), as Ansible walks them. */
export function descendants(name: string, groups: Map<string, Group>): string[] {
  const order = [name];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const child of groups.get(order[i]!)?.children ?? []) {
      if (!seen.has(child)) order.push(child) && seen.add(child);
    }
  }
  return order;
}

/** A cycle in `children`, as the list of group names from the first back to itself. */
export function findCycle(groups: Map<string, Group>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    if (state.get(name) === 'done') return undefined;
    state.set(name, 'open');
    stack.push(name);
    for (const child of groups.get(name)?.children ?? []) {
      const cycle = visit(child);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of groups.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}
