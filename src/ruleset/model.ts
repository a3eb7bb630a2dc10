/**
 * The rule model, in iptables' own words: a ruleset (one address family) holds tables, a table
 * holds chains, a chain holds rules. A rule is the argv that follows `-A CHAIN`.
 */

export type Family = 4 | 6;

/** Built-in chain policies; user chains have none. */
export type ChainPolicy = 'ACCEPT' | 'DROP' | 'QUEUE' | 'RETURN';

export interface Rule {
  chain: string;
  /** Tokens after `-A CHAIN`, unquoted. */
  args: string[];
  /** The value of `-m comment --comment`, if the rule has one. */
  comment?: string;
}

export interface Chain {
  name: string;
  /** Built-in chains carry a policy; user chains `null`. */
  policy: ChainPolicy | null;
  rules: Rule[];
}

export interface Table {
  name: string;
  chains: Chain[];
}

export interface Ruleset {
  family: Family;
  tables: Table[];
  /** Lines the parser skipped or repaired (lenient parsing of hand-edited dumps). */
  warnings?: string[];
}

/** Built-in chains per table, in the order iptables-save prints them. */
export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export function isBuiltinChain(table: string, chain: string): boolean {
  return BUILTIN_CHAINS[table]?.includes(chain) ?? false;
}

export function findTable(rs: Ruleset, name: string): Table | undefined {
  return rs.tables.find((t) => t.name === name);
}

export function findChain(table: Table | undefined, name: string): Chain | undefined {
  return table?.chains.find((c) => c.name === name);
}

/** The table with every built-in chain present (iptables-save prints them all; ACCEPT if never declared). */
export function withBuiltins(table: Table): Table {
  const missing = (BUILTIN_CHAINS[table.name] ?? []).filter((n) => !table.chains.some((c) => c.name === n));
  if (missing.length === 0) return table;
  const added = missing.map((name) => ({ name, policy: 'ACCEPT' as const, rules: [] }));
  return { ...table, chains: sortChains(table.name, [...table.chains, ...added]) };
}

/** Every rule of a chain with its comment extracted. */
export function makeRule(chain: string, args: string[]): Rule {
  const comment = commentOf(args);
  return comment === undefined ? { chain, args } : { chain, args, comment };
}

/** The rule's comment: fleet's (`fleet:...`) when it has several, else the first. */
export function commentOf(args: readonly string[]): string | undefined {
  const all = args.flatMap((a, i) => (a === '--comment' && i + 1 < args.length ? [args[i + 1]!] : []));
  return all.find((c) => c.startsWith('fleet:')) ?? all[0];
}

/** The target (`-j X` or `-g X`) of a rule, if any. */
export function targetOf(args: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < args.length; i++) {
    const a = args[i];
    if (a === '-j' || a === '--jump' || a === '-g' || a === '--goto') return args[i + 1];
  }
  return undefined;
}

/** Chains in iptables-save order: built-ins in their fixed order, then user chains by name. */
export function sortChains(table: string, chains: readonly Chain[]): Chain[] {
  const builtins = BUILTIN_CHAINS[table] ?? [];
  const rank = (c: Chain) => {
    const i = builtins.indexOf(c.name);
    return i < 0 ? builtins.length : i;
  };
  return [...chains].sort((a, b) => rank(a) - rank(b) || cmp(a.name, b.name));
}

/** Tables in a stable order (iptables-save's order varies by backend). */
export const TABLE_ORDER = ['raw', 'mangle', 'nat', 'filter', 'security'];

export function sortTables(tables: readonly Table[]): Table[] {
  const rank = (t: Table) => {
    const i = TABLE_ORDER.indexOf(t.name);
    return i < 0 ? TABLE_ORDER.length : i;
  };
  return [...tables].sort((a, b) => rank(a) - rank(b) || cmp(a.name, b.name));
}

/** Byte-wise string order (not locale-dependent). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
