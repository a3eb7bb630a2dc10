/**
 * Parser of `iptables-save` / `ip6tables-save` output (and of hand-edited restore files) into
 * the rule model. Lenient about what real dumps contain — CRLF, trailing spaces, blank lines,
 * counters, `-I`, `--ipv4`/`--ipv6` prefixes, a missing final newline — and says what it
 * repaired in `warnings`. It throws only on text that is not a ruleset at all.
 */
import { InputError } from '../errors.js';
import {
  type Chain,
  type ChainPolicy,
  type Family,
  isBuiltinChain,
  makeRule,
  type Ruleset,
  type Table,
} from './model.js';
import { tokenize } from './tokens.js';

export interface ParseOptions {
  /** Address family; guessed from the text when absent. */
  family?: Family;
  /** Name used in error messages. */
  file?: string;
}

interface State {
  rs: Ruleset;
  table?: Table;
  warnings: string[];
  file: string;
  lineNo: number;
  /** The last appended rule, for joining a line broken in two. */
  lastRule?: { chain: Chain; index: number };
}

export function parseSave(text: string, opts: ParseOptions = {}): Ruleset {
  const family = opts.family ?? guessFamily(text);
  const st: State = {
    rs: { family, tables: [] },
    warnings: [],
    file: opts.file ?? '<iptables-save>',
    lineNo: 0,
  };
  for (const raw of text.split('\n')) {
    st.lineNo++;
    parseLine(st, raw.replace(/\r$/, '').trim());
  }
  if (st.table) warn(st, `table ${st.table.name} has no COMMIT`);
  if (st.warnings.length > 0) st.rs.warnings = st.warnings;
  return st.rs;
}

function parseLine(st: State, line: string): void {
  if (line === '' || line.startsWith('#')) return;
  if (line.startsWith('*')) startTable(st, line.slice(1).trim());
  else if (line === 'COMMIT') endTable(st);
  else if (!st.table) throw fail(st, `"${line.slice(0, 40)}" outside a table (expected *filter, *nat, ...)`);
  else if (line.startsWith(':')) declareChain(st, st.table, line);
  else parseCommand(st, st.table, tokenize(stripCounters(line)));
}

function endTable(st: State): void {
  st.table = undefined;
  st.lastRule = undefined;
}

function startTable(st: State, name: string): void {
  if (!/^[a-z]+$/.test(name)) throw fail(st, `bad table name "${name}"`);
  let table = st.rs.tables.find((t) => t.name === name);
  if (!table) {
    table = { name, chains: [] };
    st.rs.tables.push(table);
  }
  st.table = table;
}

function declareChain(st: State, table: Table, line: string): void {
  const [name, policy] = line.slice(1).trim().split(/\s+/);
  if (!name) throw fail(st, 'chain declaration without a name');
  const chain = ensureChain(table, name);
  chain.policy = policy === undefined || policy === '-' ? null : (policy as ChainPolicy);
}

function ensureChain(table: Table, name: string): Chain {
  let chain = table.chains.find((c) => c.name === name);
  if (!chain) {
    chain = { name, policy: null, rules: [] };
    table.chains.push(chain);
  }
  return chain;
}

/** `[12:345] -A ...` (iptables-save -c) → `-A ...`. */
function stripCounters(line: string): string {
  return line.replace(/^\[\d+:\d+\]\s*/, '');
}

function parseCommand(st: State, table: Table, tokens: string[]): void {
  const argv = familyFilter(st, tokens);
  if (!argv) return;
  const [cmd, chainName, ...rest] = argv;
  if (cmd === '-A' || cmd === '--append') append(st, table, chainName, rest);
  else if (cmd === '-I' || cmd === '--insert') insert(st, table, chainName, rest);
  else if (cmd === '-N' || cmd === '--new-chain') ensureChain(table, need(st, chainName));
  else if (cmd === '-P' || cmd === '--policy') setPolicy(st, table, chainName, rest[0]);
  else if (cmd?.startsWith('--') && st.lastRule) continuation(st, argv);
  else warn(st, `ignored "${argv.join(' ').slice(0, 60)}"`);
}

/** `--ipv4 -A ...` applies to IPv4 only, `--ipv6` to IPv6 only (iptables-restore skips the other). */
function familyFilter(st: State, tokens: string[]): string[] | undefined {
  const first = tokens[0];
  if (first === '--ipv4' || first === '-4') return st.rs.family === 4 ? tokens.slice(1) : undefined;
  if (first === '--ipv6' || first === '-6') return st.rs.family === 6 ? tokens.slice(1) : undefined;
  return tokens;
}

function append(st: State, table: Table, chainName: string | undefined, args: string[]): void {
  const chain = chainFor(st, table, need(st, chainName));
  chain.rules.push(makeRule(chain.name, args));
  st.lastRule = { chain, index: chain.rules.length - 1 };
}

function insert(st: State, table: Table, chainName: string | undefined, rest: string[]): void {
  const chain = chainFor(st, table, need(st, chainName));
  const pos = /^\d+$/.test(rest[0] ?? '') ? Number(rest.shift()) : 1;
  chain.rules.splice(Math.max(0, pos - 1), 0, makeRule(chain.name, rest));
}

function setPolicy(st: State, table: Table, chainName: string | undefined, policy: string | undefined): void {
  chainFor(st, table, need(st, chainName)).policy = (policy ?? 'ACCEPT') as ChainPolicy;
}

/** A rule broken over two lines by whoever published it: join it back, and say so. */
function continuation(st: State, argv: string[]): void {
  const { chain, index } = st.lastRule!;
  chain.rules[index] = makeRule(chain.name, [...chain.rules[index]!.args, ...argv]);
  warn(st, 'joined a continuation line to the rule before it');
}

function chainFor(st: State, table: Table, name: string): Chain {
  const found = table.chains.find((c) => c.name === name);
  if (found) return found;
  warn(st, `chain ${name} used before it was declared`);
  const chain = ensureChain(table, name);
  if (isBuiltinChain(table.name, name)) chain.policy = 'ACCEPT';
  return chain;
}

function need(st: State, chainName: string | undefined): string {
  if (!chainName) throw fail(st, 'command without a chain name');
  return chainName;
}

function warn(st: State, message: string): void {
  st.warnings.push(`line ${st.lineNo}: ${message}`);
}

function fail(st: State, message: string): InputError {
  return new InputError({ pos: { file: st.file, line: st.lineNo, col: 1 }, message });
}

/** IPv6 when an address or the ICMPv6 protocol shows up, else IPv4. */
export function guessFamily(text: string): Family {
  if (/ -[sd] [0-9a-fA-F]*:[0-9a-fA-F:]*[/ ]|ipv6-icmp|icmpv6|ip6tables/.test(text)) return 6;
  return 4;
}
