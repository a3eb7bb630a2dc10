/**
 * diff: what differs between the rules a host has and the rules it should have, per table and
 * chain, in order (rule order is meaning in iptables). Rules compare by their normalized form.
 * The desired side is merged with current first (see merge.ts), so other owners' rules and
 * chains never show as drift; the chains that stay are listed apart, with their known owner.
 */

import { lcsOps } from './diff-lcs.js';
import { chainOwner } from './foreign.js';
import { emptyTable, managedTables, mergeWith } from './merge.js';
import {
  type Chain,
  type ChainPolicy,
  findChain,
  findTable,
  type Ruleset,
  sortChains,
  sortTables,
  withBuiltins,
} from './model.js';
import { normalizeArgs } from './normalize.js';
import { type Claims, keepsChain, type Ownership, ownershipOf } from './ownership.js';

export type DiffOp = ' ' | '-' | '+';

export interface DiffLine {
  op: DiffOp;
  /** The rule's argv as written on its side (normalized when one rule stood for several). */
  args: string[];
}

export interface ChainDiff {
  chain: string;
  /** `declared`: chain exists only in desired; `deleted`: only in current. */
  change?: 'declared' | 'deleted';
  policy?: { from: ChainPolicy | null; to: ChainPolicy | null };
  lines: DiffLine[];
  added: number;
  removed: number;
}

export interface TableDiff {
  table: string;
  chains: ChainDiff[];
}

export interface ForeignChainInfo {
  table: string;
  chain: string;
  rules: number;
  /** The known owner (src/model/known-owners.ts) whose chain it is, if any. */
  owner?: string;
}

export interface RulesetDiff {
  family: 4 | 6;
  tables: TableDiff[];
  /** Chains on the host that stay (another tool's, or preserved): not fleet's, not drift. */
  foreign: ForeignChainInfo[];
  added: number;
  removed: number;
  policyChanges: number;
  /** True when applying desired would change nothing. */
  empty: boolean;
}

/** Without claims (no `preserve`, no `takeover`), two rulesets compare exactly. */
export interface DiffOptions extends Partial<Claims> {}

export function diff(current: Ruleset, desired: Ruleset, opts: DiffOptions = {}): RulesetDiff {
  const exact = opts.exact ?? (opts.preserve === undefined && opts.takeover === undefined);
  const own = ownershipOf(current, { preserve: opts.preserve ?? [], takeover: opts.takeover ?? [], exact });
  const target = mergeWith(current, desired, own);
  const tables = managedTables(current, desired)
    .sort()
    .map((name) => diffTable(name, current, target, own))
    .filter((t) => t.chains.length > 0);
  const chains = tables.flatMap((t) => t.chains);
  const added = sum(chains.map((c) => c.added));
  const removed = sum(chains.map((c) => c.removed));
  const policyChanges = chains.filter((c) => c.policy).length;
  const changedChains = chains.filter((c) => c.change).length;
  const foreign = keptChains(current, own);
  const empty = added + removed + policyChanges + changedChains === 0;
  return { family: desired.family, tables, foreign, added, removed, policyChanges, empty };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function diffTable(name: string, current: Ruleset, target: Ruleset, own: Ownership): TableDiff {
  const curT = findTable(current, name);
  const tgtT = findTable(target, name);
  // A table the host has not loaded is, to the kernel, its built-in chains with ACCEPT
  // policies: diffing against that shows a fresh host's INPUT turning DROP as a policy change
  // (never as a `(new chain)`), and an OUTPUT that stays ACCEPT and empty as nothing at all.
  const cur = withBuiltins(curT ?? emptyTable(name));
  const tgt = tgtT && withBuiltins(tgtT);
  const names = new Set([...(cur?.chains ?? []), ...(tgt?.chains ?? [])].map((c) => c.name));
  const chains = sortChains(
    name,
    [...names].map((n) => ({ name: n, policy: null, rules: [] })),
  )
    .filter((c) => !keepsChain(name, c.name, own))
    .map((c) => diffChain(c.name, findChain(cur, c.name), findChain(tgt, c.name), current.family))
    .filter((d) => d.change || d.policy || d.added + d.removed > 0);
  return { table: name, chains };
}

interface Keyed {
  key: string;
  args: string[];
}

function keyed(chain: Chain | undefined, family: 4 | 6): Keyed[] {
  return (chain?.rules ?? []).flatMap((r) => {
    const forms = normalizeArgs(r.args, family);
    const show = (a: string[]) => (forms.length === 1 ? r.args : a);
    return forms.map((a) => ({ key: a.join('\u0001'), args: show(a) }));
  });
}

function diffChain(name: string, cur: Chain | undefined, tgt: Chain | undefined, family: 4 | 6): ChainDiff {
  const ops = lcsOps(keyed(cur, family), keyed(tgt, family));
  const lines = ops.map(({ op, item }) => ({ op, args: item.args }));
  const d: ChainDiff = {
    chain: name,
    lines,
    added: lines.filter((l) => l.op === '+').length,
    removed: lines.filter((l) => l.op === '-').length,
  };
  if (!cur) d.change = 'declared';
  else if (!tgt) d.change = 'deleted';
  else if (cur.policy !== tgt.policy) d.policy = { from: cur.policy, to: tgt.policy };
  return d;
}

function keptChains(current: Ruleset, own: Ownership): ForeignChainInfo[] {
  return sortTables(current.tables).flatMap((t) =>
    sortChains(t.name, t.chains)
      .filter((c) => keepsChain(t.name, c.name, own))
      .map((c) => {
        const owner = chainOwner(c.name)?.tool;
        const info = { table: t.name, chain: c.name, rules: c.rules.length };
        return owner ? { ...info, owner } : info;
      }),
  );
}
