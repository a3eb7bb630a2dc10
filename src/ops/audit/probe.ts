/**
 * Packets the hygiene checks send through a host's live rules, on paper: the ruleset simulator
 * (src/ruleset/simulate, also the lockout guard's) decides whether a packet is surely accepted;
 * `pathRules` lists the rules such a packet may meet in filter INPUT, jumps followed, up to the
 * first rule that surely ends its way. Pure.
 */
import { type Family, findChain, findTable, type Ruleset, simulate } from '../../ruleset/index.js';
import { cidrContains } from '../../ruleset/normalize/addresses.js';
import { type RuleParts, splitRule } from '../../ruleset/normalize/groups.js';
import { normalizeArgs } from '../../ruleset/normalize.js';
import { matchRule, type Packet } from '../../ruleset/simulate/match.js';

export const ANYWHERE: Readonly<Record<Family, string>> = { 4: '0.0.0.0/0', 6: '::/0' };

/** Addresses that stand for "someone on the internet" (documentation and unusual ranges). */
const OUTSIDERS: Readonly<Record<Family, readonly string[]>> = {
  4: ['192.0.2.123/32', '198.51.100.123/32', '203.0.113.123/32', '100.127.1.2/32', '172.31.254.9/32'],
  6: ['2001:db8:ffff::123/128', '2001:db8:fffe::9/128', 'fd00:fffe::9/128'],
};

/** Ports a profile is unlikely to open (a packet to all of them accepted means "anything goes"). */
export const CLOSED_PORTS = [1, 31337, 64999] as const;

/** A new inbound TCP connection from `peer` (a CIDR) to `port`. */
export function newTcp(family: Family, peer: string, port: number): Packet {
  return { family, peer, direction: 'in', sshPort: port, peerPort: 40000, state: 'NEW', flags: ['SYN'] };
}

export function surelyAccepted(rs: Ruleset, p: Packet): boolean {
  return simulate(rs, p).accepted;
}

/** The first outsider address outside every known source (else the first one). */
export function outsider(family: Family, known: readonly string[]): string {
  const all = OUTSIDERS[family];
  return all.find((a) => !known.some((k) => cidrContains(k, a))) ?? all[0]!;
}

/** A rule on a packet's path in filter INPUT, cut into its parts. */
export interface PathRule {
  chain: string;
  args: string[];
  parts: RuleParts;
}

const TERMINAL = new Set(['ACCEPT', 'DROP', 'REJECT']);

/** Every rule of filter INPUT (and the chains it jumps to) the packet may meet, in order. */
export function pathRules(rs: Ruleset, p: Packet): PathRule[] {
  const out: PathRule[] = [];
  walk(rs, 'INPUT', p, out, new Set());
  return out;
}

/** Walks one chain; true when the packet surely ended in it (false: it went on or returned). */
function walk(rs: Ruleset, name: string, p: Packet, out: PathRule[], seen: Set<string>): boolean {
  const chain = findChain(findTable(rs, 'filter'), name);
  if (!chain || seen.has(name)) return false;
  seen.add(name);
  const forms = chain.rules.flatMap((rule) => normalizeArgs(rule.args, rs.family).map((a) => ({ rule, a })));
  let ended = false;
  for (const { rule, a } of forms) {
    const parts = splitRule(a);
    const m = pathMatch(parts, p);
    if (m === 'no') continue;
    out.push({ chain: name, args: rule.args, parts });
    const target = parts.target?.name ?? '';
    if (target === 'RETURN' && m === 'yes') break;
    const stops = TERMINAL.has(target) || walk(rs, target, p, out, seen);
    if (stops && m === 'yes') {
      ended = true;
      break;
    }
  }
  seen.delete(name);
  return ended;
}

/** As the simulator, but `recent` (history: hits over time) only ever "may" match. */
function pathMatch(parts: RuleParts, p: Packet): 'yes' | 'no' | 'maybe' {
  const stateless = { ...parts, matches: parts.matches.filter((b) => b.name !== 'recent') };
  const m = matchRule(stateless, p, new Map());
  return m === 'yes' && stateless.matches.length < parts.matches.length ? 'maybe' : m;
}

/** The rule's match blocks by module name (`recent`, `limit`, ...). */
export function usesModule(r: PathRule, ...modules: string[]): boolean {
  return r.parts.matches.some((b) => modules.includes(b.name));
}

export function targetName(r: PathRule): string | undefined {
  return r.parts.target?.name;
}
