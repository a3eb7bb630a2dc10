/**
 * merge: the ruleset a host should end up with when fleet applies `desired` on top of `current`
 * under `preserve`. Fleet's chains and rules come from desired; preserved chains and the foreign
 * rules in built-in chains come from current, in their place: those that stood before fleet's
 * first rule stay on top (fail2ban's and Docker's jumps), the others follow fleet's rules.
 * Tables fleet does not write and that hold nothing of fleet's are left out (left untouched).
 * Without preserve, desired wins whole; tables of current that hold fleet rules but that desired
 * no longer writes are emptied.
 */
import { isForeignChain } from './foreign.js';
import {
  BUILTIN_CHAINS,
  type Chain,
  findChain,
  findTable,
  isBuiltinChain,
  type Rule,
  type Ruleset,
  sortChains,
  sortTables,
  type Table,
} from './model.js';
import { hasFleetContent, isFleetRule, isForeignRule, type Ownership, ownershipOf } from './ownership.js';

export function managedTables(current: Ruleset, desired: Ruleset): string[] {
  const names = new Set(desired.tables.map((t) => t.name));
  for (const t of current.tables) if (hasFleetContent(t)) names.add(t.name);
  return [...names];
}

export function merge(current: Ruleset, desired: Ruleset, preserve: readonly string[]): Ruleset {
  const own = ownershipOf(current, preserve);
  const tables = managedTables(current, desired).map((name) =>
    mergeTable(findTable(current, name), findTable(desired, name) ?? emptyTable(name), own),
  );
  return { family: desired.family, tables: sortTables(tables) };
}

export function emptyTable(name: string): Table {
  const chains = (BUILTIN_CHAINS[name] ?? []).map((c) => ({ name: c, policy: 'ACCEPT' as const, rules: [] }));
  return { name, chains };
}

function mergeTable(current: Table | undefined, desired: Table, own: Ownership): Table {
  const chains: Chain[] = desired.chains.map((d) =>
    mergeChain(desired.name, findChain(current, d.name), d, own),
  );
  for (const c of current?.chains ?? []) {
    if (chains.some((x) => x.name === c.name)) continue;
    if (isForeignChain(c.name, own.preserve)) chains.push(c);
    else if (isBuiltinChain(desired.name, c.name))
      chains.push(mergeChain(desired.name, c, { ...c, rules: [] }, own));
  }
  return { name: desired.name, chains: sortChains(desired.name, chains) };
}

function mergeChain(table: string, current: Chain | undefined, desired: Chain, own: Ownership): Chain {
  if (!current || !isBuiltinChain(table, desired.name) || own.preserve.length === 0) return desired;
  const { top, bottom } = foreignRules(current.rules, own);
  return { ...desired, rules: [...top, ...desired.rules, ...bottom] };
}

/** Foreign rules of a built-in chain, split at fleet's first rule. */
function foreignRules(rules: readonly Rule[], own: Ownership): { top: Rule[]; bottom: Rule[] } {
  const firstFleet = rules.findIndex(isFleetRule);
  const cut = firstFleet < 0 ? rules.length : firstFleet;
  const pick = (rs: readonly Rule[]) => rs.filter((r) => isForeignRule(r, own));
  return { top: pick(rules.slice(0, cut)), bottom: pick(rules.slice(cut)) };
}
