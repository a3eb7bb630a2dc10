/**
 * normalize: the form in which a compiled rule and the kernel's print-back of it compare equal.
 * Base options in iptables-save's order with canonical addresses and protocol names, implicit
 * protocol matches made explicit, each match's options canonical and sorted, `-m state` as
 * conntrack, defaults dropped. Rules keep their order; chains and tables are sorted.
 */
import {
  type Chain,
  commentOf,
  type Family,
  makeRule,
  type Rule,
  type Ruleset,
  sortChains,
  sortTables,
  type Table,
  withBuiltins,
} from './model.js';
import { normalizeAddress } from './normalize/addresses.js';
import {
  BASE_ORDER,
  joinRule,
  type OptGroup,
  optName,
  optValues,
  protoModule,
  splitRule,
  withValues,
} from './normalize/groups.js';
import { MATCHES, normalizeBlock, TARGETS } from './normalize/matches.js';
import { protoName } from './normalize/names.js';

/**
 * Canonical forms already computed, by family and argv. A fleet's hosts print back the same
 * rules, and plan, diff, audit and the lockout simulation ask for the same rule over and over:
 * on 100 hosts this was the largest part of the workstation's CPU in `fleet audit` and `fleet
 * apply` (bench/README.md). Bounded; callers get fresh arrays.
 */
const memo = new Map<string, readonly string[][]>();
const MEMO_MAX = 50_000;

/** One rule's argv in canonical form; an address list (`-s a,b`) yields one argv per address. */
export function normalizeArgs(args: readonly string[], family: Family): string[][] {
  const key = `${family}\u0000${args.join('\u0000')}`;
  let forms = memo.get(key);
  if (forms === undefined) {
    forms = canonicalForms(args, family);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(key, forms);
  }
  return forms.map((a) => [...a]);
}

function canonicalForms(args: readonly string[], family: Family): string[][] {
  const parts = splitRule(args);
  const base = sortBase(parts.base.map((g) => normalizeBase(g)).filter((g) => !isAllProto(g)));
  const proto = base.find((g) => optName(g) === '-p' && g[0] !== '!');
  const matches = parts.matches
    .map((m) => (m.implicit && proto ? { ...m, name: protoModule(optValues(proto)[0]!) } : m))
    .map((m) => normalizeBlock(m, family, MATCHES));
  const target = parts.target && {
    ...normalizeBlock(parts.target, family, TARGETS),
    goto: parts.target.goto,
  };
  return expandAddresses(base, family).map((b) => joinRule({ base: b, matches, target }));
}

function normalizeBase(g: OptGroup): OptGroup {
  return optName(g) === '-p' ? withValues(g, optValues(g).map(protoName)) : g;
}

function isAllProto(g: OptGroup): boolean {
  return optName(g) === '-p' && g[0] !== '!' && optValues(g)[0] === 'all';
}

function sortBase(base: OptGroup[]): OptGroup[] {
  return [...base].sort((a, b) => BASE_ORDER.indexOf(optName(a)) - BASE_ORDER.indexOf(optName(b)));
}

/** `-s a,b -d c` is two rules to iptables; each address canonical. */
function expandAddresses(base: OptGroup[], family: Family): OptGroup[][] {
  let out: OptGroup[][] = [[]];
  for (const g of base) {
    const isAddr = optName(g) === '-s' || optName(g) === '-d';
    const values = isAddr
      ? (optValues(g)[0] ?? '').split(',').map((a) => normalizeAddress(a, family))
      : [null];
    out = out.flatMap((prefix) => values.map((v) => [...prefix, v === null ? g : withValues(g, [v])]));
  }
  return out;
}

export function normalizeRule(rule: Rule, family: Family): Rule[] {
  return normalizeArgs(rule.args, family).map((args) => makeRule(rule.chain, args));
}

export function normalizeChain(chain: Chain, family: Family): Chain {
  return { ...chain, rules: chain.rules.flatMap((r) => normalizeRule(r, family)) };
}

export function normalizeTable(table: Table, family: Family): Table {
  const chains = withBuiltins(table).chains.map((c) => normalizeChain(c, family));
  return { name: table.name, chains: sortChains(table.name, chains) };
}

/** The whole ruleset canonical: sorted tables and chains, canonical rules, no warnings. */
export function normalize(rs: Ruleset): Ruleset {
  return { family: rs.family, tables: sortTables(rs.tables.map((t) => normalizeTable(t, rs.family))) };
}

/** A string that is equal for two rules exactly when they normalize the same. */
export function ruleKey(args: readonly string[], family: Family): string {
  return normalizeArgs(args, family)
    .map((a) => a.join('\u0001'))
    .join('\u0002');
}

export { commentOf };
