/**
 * Host selection with Ansible's rules (see pattern.ts and docs/inventory.md). Pure: reads the
 * resolved inventory, returns hosts in the order Ansible lists them.
 */
import { InputError } from '../errors.js';
import type { Host } from '../model/host.js';
import { descendants } from './graph.js';
import { didYouMean } from './input/suggest.js';
import type { Group, Inventory } from './model.js';
import {
  applySubscript,
  compileMatcher,
  isGlobOrRegex,
  orderPatterns,
  splitPatterns,
  splitSubscript,
} from './pattern.js';

type View = Pick<Inventory, 'hosts' | 'groups'>;

export interface Selection {
  hosts: Host[];
  /** Single patterns that matched no group and no host (Ansible warns about these). */
  unmatched: string[];
}

/** The hosts `selector` picks, narrowed by `limit` if given (both in Ansible's pattern syntax). */
export function selectHosts(fleet: View, selector: string, limit?: string): Host[] {
  return select(fleet, selector, limit).hosts;
}

export function select(fleet: View, selector: string, limit?: string): Selection {
  const unmatched: string[] = [];
  let names = evaluate(fleet, splitPatterns(selector), unmatched);
  if (limit !== undefined) {
    const subset = new Set(evaluate(fleet, splitPatterns(limit), unmatched));
    names = names.filter((n) => subset.has(n));
  }
  const byName = new Map(fleet.hosts.map((h) => [h.name, h]));
  return { hosts: [...new Set(names)].map((n) => byName.get(n)!), unmatched };
}

/** Like selectHosts, but an empty selection is an InputError naming what matched nothing. */
export function selectHostsOrFail(fleet: View, selector: string, limit?: string): Host[] {
  const { hosts, unmatched } = select(fleet, selector, limit);
  if (hosts.length) return hosts;
  const names = [...fleet.groups.keys(), ...fleet.hosts.map((h) => h.name)];
  const why = unmatched.map(
    (u) => `"${u}" matches no group or host${didYouMean(u.replace(/^[&!]/, ''), names)}`,
  );
  const what = limit === undefined ? `"${selector}"` : `"${selector}" with --limit "${limit}"`;
  throw new InputError(
    `selector ${what} picks no host${why.length ? `: ${why.join('; ')}` : ''}`,
    'run `fleet hosts all` to see every host',
  );
}

function evaluate(fleet: View, patterns: string[], unmatched: string[]): string[] {
  const hostNames = new Set(fleet.hosts.map((h) => h.name));
  let hosts: string[] = [];
  for (const p of orderPatterns(patterns)) {
    if (hostNames.has(p)) {
      hosts.push(p);
      continue;
    }
    const that = matchOne(fleet, p, unmatched);
    if (p[0] === '!' || p[0] === '&') {
      const set = new Set(that);
      hosts = hosts.filter((h) => set.has(h) === (p[0] === '&'));
    } else {
      const existing = new Set(hosts);
      hosts.push(...that.filter((h) => !existing.has(h)));
    }
  }
  return hosts;
}

function matchOne(fleet: View, pattern: string, unmatched: string[]): string[] {
  const bare = pattern[0] === '&' || pattern[0] === '!' ? pattern.slice(1) : pattern;
  const { expr, sub } = splitSubscript(bare);
  const { hosts, groupMatched } = enumerate(fleet, expr);
  if (!hosts.length && !groupMatched && expr !== 'all') unmatched.push(pattern);
  const picked = applySubscript(hosts, sub);
  if (!picked)
    throw new InputError(`no hosts matched the subscripted pattern "${bare}" (index out of range)`);
  return picked;
}

function enumerate(fleet: View, pattern: string): { hosts: string[]; groupMatched: boolean } {
  const re = matcher(pattern);
  const groups = [...fleet.groups.keys()].filter((g) => re.test(g));
  const hosts = groups.flatMap((g) => groupHosts(g, fleet.groups));
  if (!groups.length || isGlobOrRegex(pattern)) {
    hosts.push(...fleet.hosts.map((h) => h.name).filter((n) => re.test(n)));
  }
  return { hosts, groupMatched: groups.length > 0 };
}

function matcher(pattern: string): RegExp {
  try {
    return compileMatcher(pattern);
  } catch (e) {
    throw new InputError(`invalid host pattern "${pattern}": ${(e as Error).message}`);
  }
}

/** Hosts of a group and of all its descendants, breadth first, each once. */
export function groupHosts(name: string, groups: Map<string, Group>): string[] {
  return [...new Set(descendants(name, groups).flatMap((g) => groups.get(g)?.hosts ?? []))];
}
