/**
 * The escape hatch: raw iptables rules, validated strictly. Arguments are a list or a string split
 * on whitespace; each must be plain (no shell metacharacters, no quotes); commands that add, delete,
 * flush or change chains are refused (fleet owns those); addresses must match the rule's family.
 */
import { isScalar, isSeq } from 'yaml';
import { parseSource } from '../inventory/input/address.js';
import { type Cursor, entries, isEmpty, items } from '../inventory/input/cursor.js';
import type { Problems } from '../inventory/input/problems.js';
import { describe, readString } from '../inventory/input/read.js';
import { didYouMean } from '../inventory/input/suggest.js';
import type { RawRule } from '../model/profile.js';

const TABLES = ['filter', 'nat', 'mangle', 'raw'] as const;
const CHAIN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,27}$/;
const ARG = /^(?:!|[A-Za-z0-9_.:,/+=@%-]+)$/;
/** An IPv6 NAT address with ports, as DNAT/SNAT take it: `[2001:db8::1]:8080-8090`. */
const V6_NAT = /^\[[0-9a-fA-F:.-]+\](?::\d+(?:-\d+)?)?$/;
const FORBIDDEN = new Set([
  '-A',
  '--append',
  '-I',
  '--insert',
  '-D',
  '--delete',
  '-R',
  '--replace',
  '-F',
  '--flush',
  '-X',
  '--delete-chain',
  '-P',
  '--policy',
  '-N',
  '--new-chain',
  '-E',
  '--rename-chain',
  '-Z',
  '--zero',
  '-t',
  '--table',
  '-L',
  '--list',
  '-S',
  '--list-rules',
]);

export function readRaw(c: Cursor, p: Problems): RawRule[] {
  return items(c, p).flatMap((item) => readRule(item, p) ?? []);
}

function readRule(c: Cursor, p: Problems): RawRule | undefined {
  const e = entries(c, p, ['table', 'chain', 'args', 'family']);
  const [table, chain, args, family] = [e.get('table'), e.get('chain'), e.get('args'), e.get('family')];
  if (!chain || !args)
    p.add(
      c.pos,
      c.path,
      'a raw rule needs chain and args, e.g. { chain: INPUT, args: "-p tcp --dport 9100 -j ACCEPT" }',
    );
  const t = table ? readTable(table, p) : 'filter';
  const ch = chain && readChain(chain, p);
  const fam = family ? readFamily(family, p) : 'both';
  const a = args && fam !== undefined ? readArgs(args, fam, p) : undefined;
  return t && ch && fam !== undefined && a ? { table: t, chain: ch, args: a, family: fam } : undefined;
}

function readTable(c: Cursor, p: Problems): RawRule['table'] | undefined {
  const v = readString(c, p, 'a table name');
  if (v === undefined) return undefined;
  if ((TABLES as readonly string[]).includes(v)) return v as RawRule['table'];
  p.add(c.pos, c.path, `unknown table "${v}"${didYouMean(v, TABLES)}; use one of ${TABLES.join(', ')}`);
  return undefined;
}

function readChain(c: Cursor, p: Problems): string | undefined {
  const v = readString(c, p, 'a chain name');
  if (v === undefined || CHAIN.test(v)) return v;
  p.add(
    c.pos,
    c.path,
    `chain "${v}" is not a valid chain name: letters, digits, _ . - (at most 28 characters)`,
  );
  return undefined;
}

function readFamily(c: Cursor, p: Problems): RawRule['family'] | undefined {
  const v = isScalar(c.node) ? c.node.value : undefined;
  if (v === 'both' || v === 4 || v === 6) return v;
  p.add(c.pos, c.path, `family must be 4, 6 or both, got ${describe(c)}`);
  return undefined;
}

function readArgs(c: Cursor, family: RawRule['family'], p: Problems): string[] | undefined {
  const list = isEmpty(c) ? [] : argTexts(c, p);
  if (!list) return undefined;
  const bad = list.map((a) => checkArg(a, family)).find(Boolean);
  if (bad) p.add(c.pos, c.path, bad);
  if (!list.length)
    p.add(c.pos, c.path, 'args are empty; write the rule, e.g. "-p tcp --dport 9100 -j ACCEPT"');
  return bad || !list.length ? undefined : list;
}

function argTexts(c: Cursor, p: Problems): string[] | undefined {
  if (isSeq(c.node)) return items(c, p).map((i) => readString(i, p, 'an argument') ?? '\0');
  const text = readString(c, p, 'arguments');
  return text === undefined ? undefined : text.trim().split(/\s+/);
}

/** What is wrong with one argument, or undefined. */
export function checkArg(arg: string, family: RawRule['family']): string | undefined {
  if (FORBIDDEN.has(arg))
    return `"${arg}" is not allowed in raw args: fleet places the rule itself (write only matches and the target)`;
  if (!ARG.test(arg) && !V6_NAT.test(arg))
    return `argument ${JSON.stringify(arg)} has characters that are not allowed (quotes, spaces, shell metacharacters); use letters, digits and _ . : , / + = @ % - (and [v6]:port for NAT)`;
  // an address has a dot or a colon: `3/4` (an ICMP type) and `16/255` (a mark) are not addresses
  const addr = /^\d+\.[\d.]*(?:\/\d+)?$|^[0-9a-fA-F]*:[0-9a-fA-F:.]*(?:\/\d+)?$/.test(arg)
    ? parseSource(arg)
    : undefined;
  if (addr && !addr.ok && arg.includes('/')) return addr.message;
  if (addr?.ok && family !== addr.source.family) {
    return `address ${arg} is IPv${addr.source.family} but the rule's family is ${family}; set family: ${addr.source.family}`;
  }
  return undefined;
}
