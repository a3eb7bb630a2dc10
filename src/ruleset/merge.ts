/**
 * merge: the ruleset a host should end up with when fleet applies `desired` on top of `current`
 * (the ownership model: ownership.ts, docs/coexistence.md). Fleet's chains and rules come from
 * desired; the chains and built-in rules that stay come from current, in their place: those
 * that stood before fleet's first rule stay on top (fail2ban's and Docker's jumps), the others
 * follow fleet's rules; the jump to FLEET-BANS goes before them all (a ban is first in line,
 * whatever others inserted). Tables fleet does not write and that hold nothing of fleet's are left
 * out (left untouched); a table that holds fleet rules but that desired no longer writes keeps
 * everything else, and its policies.
 */
import { isBanJump } from './compile/bans.js';
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
import {
  type ClaimsInput,
  hasFleetContent,
  isFleetRule,
  keepsChain,
  keepsRule,
  type Ownership,
  ownershipOf,
} from './ownership.js';

export function managedTables(current: Ruleset, desired: Ruleset): string[] {
  const names = new Set(desired.tables.map((t) => t.name));
  for (const t of current.tables) if (hasFleetContent(t)) names.add(t.name);
  return [...names];
}

export function merge(current: Ruleset, desired: Ruleset, claims: ClaimsInput): Ruleset {
  return mergeWith(current, desired, ownershipOf(current, claims));
}

export function mergeWith(current: Ruleset, desired: Ruleset, own: Ownership): Ruleset {
  const tables = managedTables(current, desired).map((name) => {
    const cur = findTable(current, name);
    return mergeTable(cur, findTable(desired, name) ?? emptyTable(name, cur), own);
  });
  return { family: desired.family, tables: sortTables(tables) };
}

/** The whole ruleset a host holds after the merge: merged tables, and the others as they are. */
export function liveAfter(current: Ruleset, merged: Ruleset): Ruleset {
  const untouched = current.tables.filter((t) => !findTable(merged, t.name));
  return { family: merged.family, tables: sortTables([...merged.tables, ...untouched]) };
}

/** A table with only its built-in chains, with the policies `like` has (ACCEPT otherwise). */
export function emptyTable(name: string, like?: Table): Table {
  const chains = (BUILTIN_CHAINS[name] ?? []).map((c) => ({
    name: c,
    policy: findChain(like, c)?.policy ?? ('ACCEPT' as const),
    rules: [],
  }));
  return { name, chains };
}

function mergeTable(current: Table | undefined, desired: Table, own: Ownership): Table {
  const chains: Chain[] = desired.chains.map((d) =>
    mergeChain(desired.name, findChain(current, d.name), d, own),
  );
  for (const c of current?.chains ?? []) {
    if (chains.some((x) => x.name === c.name)) continue;
    if (keepsChain(desired.name, c.name, own)) chains.push(c);
    else if (isBuiltinChain(desired.name, c.name))
      chains.push(mergeChain(desired.name, c, { ...c, rules: [] }, own));
  }
  return { name: desired.name, chains: sortChains(desired.name, chains) };
}

function mergeChain(table: string, current: Chain | undefined, desired: Chain, own: Ownership): Chain {
  if (!current || !isBuiltinChain(table, desired.name)) return desired;
  const { top, bottom } = keptRules(table, current.rules, own);
  const first = desired.rules.filter(isBanJump);
  const rest = desired.rules.filter((r) => !isBanJump(r));
  return { ...desired, rules: [...first, ...top, ...rest, ...bottom] };
}

/** The rules of a built-in chain that stay, split at fleet's first rule. */
function keptRules(table: string, rules: readonly Rule[], own: Ownership): { top: Rule[]; bottom: Rule[] } {
  const firstFleet = rules.findIndex(isFleetRule);
  const cut = firstFleet < 0 ? rules.length : firstFleet;
  const pick = (rs: readonly Rule[]) => rs.filter((r) => keepsRule(table, r, own));
  return { top: pick(rules.slice(0, cut)), bottom: pick(rules.slice(cut)) };
}
