/**
 * Does a rule match a packet? Three answers: yes, no, maybe (a match fleet cannot decide at
 * compile time: limit, ipset contents, interfaces other than lo...). The packet's source is a
 * whole CIDR (a management source): yes only when the rule covers all of it. Fleet's ban sets
 * are taken not to hold it; for a management source (`Packet.management`), neither do a known
 * owner's (fail2ban, sshguard, CrowdSec), nor does it come in on a known owner's interface
 * (docker0, cali*, virbr*), and it passes reverse-path filtering (fleet's replies route back).
 */
import { isForeignBanSet, isForeignInterface } from '../foreign.js';

import { parseCidr } from '../normalize/addresses.js';
import {
  type Block,
  isNegated,
  type OptGroup,
  optName,
  optValues,
  type RuleParts,
} from '../normalize/groups.js';
import { type MarkState, markMatch } from './marks.js';

export type Tri = 'yes' | 'no' | 'maybe';

export interface Packet {
  family: 4 | 6;
  /** CIDR the packet may come from (inbound) or go to (outbound). */
  peer: string;
  /** The host's own address, if known (an IP literal). */
  local?: string;
  direction: 'in' | 'out';
  sshPort: number;
  peerPort: number;
  state: 'NEW' | 'ESTABLISHED';
  flags: string[];
  /**
   * The peer is a management source, the lockout guard's question: it is taken to be in no
   * known owner's ban set, not behind a known owner's interface, and to pass reverse-path
   * filtering (fleet reaches the host from it). Audit's probes ask about any peer: maybe there.
   */
  management?: boolean;
}

/** Per traversal: hits recorded by `recent --set`, by list name. */
export type RecentState = Map<string, number>;

export function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes';
}

function neg(g: OptGroup, t: Tri): Tri {
  if (!isNegated(g) || t === 'maybe') return t;
  return t === 'yes' ? 'no' : 'yes';
}

function cidrRelation(rule: string, pkt: string | undefined): Tri {
  const r = parseCidr(rule);
  const p = pkt === undefined ? undefined : parseCidr(pkt);
  if (!r || !p) return 'maybe';
  if (r[0].kind() !== p[0].kind()) return 'no';
  if (p[1] >= r[1] && p[0].match(r as never)) return 'yes';
  if (r[1] >= p[1] && r[0].match(p as never)) return 'maybe';
  return 'no';
}

function iface(value: string, p: Packet, opt: string): Tri {
  if ((opt === '-i') !== (p.direction === 'in')) return 'maybe';
  return value === 'lo' || (p.management && isForeignInterface(value)) ? 'no' : 'maybe';
}

function base(g: OptGroup, p: Packet): Tri {
  const v = optValues(g)[0] ?? '';
  const name = optName(g);
  const [src, dst] = p.direction === 'in' ? [p.peer, p.local] : [p.local, p.peer];
  if (name === '-s') return neg(g, cidrRelation(v, src));
  if (name === '-d') return neg(g, cidrRelation(v, dst));
  if (name === '-i' || name === '-o') return neg(g, iface(v, p, name));
  if (name === '-p') return neg(g, v === 'tcp' || v === 'all' ? 'yes' : 'no');
  if (name === '-f') return neg(g, 'no');
  return 'maybe';
}

/** `marks`: the packet's and connection's marks so far (simulate); without them, mark matches are maybe. */
export function matchRule(parts: RuleParts, p: Packet, recent: RecentState, marks?: MarkState): Tri {
  let t: Tri = 'yes';
  for (const g of parts.base) t = and(t, base(g, p));
  for (const m of parts.matches) t = and(t, t === 'no' ? 'no' : block(m, p, recent, marks));
  return t;
}

function inPortSpec(spec: string, port: number): boolean {
  return spec.split(',').some((part) => {
    const [a, b] = part.split(':').map(Number);
    return b === undefined ? port === a : port >= a! && port <= b;
  });
}

function ports(b: Block, p: Packet): Tri {
  const [dport, sport] = p.direction === 'in' ? [p.sshPort, p.peerPort] : [p.peerPort, p.sshPort];
  let t: Tri = 'yes';
  for (const g of b.opts) {
    const v = optValues(g);
    const name = optName(g);
    if (name === '--dport' || name === '--dports')
      t = and(t, neg(g, inPortSpec(v[0]!, dport) ? 'yes' : 'no'));
    else if (name === '--sport' || name === '--sports')
      t = and(t, neg(g, inPortSpec(v[0]!, sport) ? 'yes' : 'no'));
    else if (name === '--ports')
      t = and(t, neg(g, inPortSpec(v[0]!, dport) || inPortSpec(v[0]!, sport) ? 'yes' : 'no'));
    else if (name === '--tcp-flags') t = and(t, neg(g, tcpFlags(v[0]!, v[1]!, p.flags)));
    else t = 'maybe';
  }
  return t;
}

function tcpFlags(mask: string, comp: string, flags: string[]): Tri {
  const m = mask.split(',');
  const c = comp === 'NONE' ? [] : comp.split(',');
  return m.every((f) => flags.includes(f) === c.includes(f)) ? 'yes' : 'no';
}

function conntrack(b: Block, p: Packet): Tri {
  let t: Tri = 'yes';
  for (const g of b.opts) {
    if (optName(g) !== '--ctstate') return 'maybe';
    t = and(t, neg(g, (optValues(g)[0] ?? '').split(',').includes(p.state) ? 'yes' : 'no'));
  }
  return t;
}

function recentMatch(b: Block, recent: RecentState): Tri {
  const opt = (n: string) => b.opts.find((g) => optName(g) === n);
  const name = optValues(opt('--name') ?? ['--name', 'DEFAULT'])[0]!;
  const hits = recent.get(name) ?? 0;
  if (opt('--set')) {
    recent.set(name, hits + 1);
    return neg(opt('--set')!, 'yes');
  }
  const need = Number(optValues(opt('--hitcount') ?? ['--hitcount', '1'])[0]);
  const g = opt('--update') ?? opt('--rcheck') ?? opt('--remove');
  return g ? neg(g, hits >= Math.max(1, need) ? 'yes' : 'no') : 'maybe';
}

function setMatch(b: Block, p: Packet): Tri {
  const g = b.opts.find((o) => optName(o) === '--match-set');
  const name = optValues(g ?? [])[0] ?? '';
  // fleet's ban sets never hold a management source: the ban guard refuses that. Another
  // tool's ban set holding one would cut SSH whatever fleet does: not fleet's change to judge.
  const unbanned = /^fleet-bans[46]$/.test(name) || (p.management && isForeignBanSet(name));
  return g && unbanned ? neg(g, 'no') : 'maybe';
}

/** Route types of the host's own address and of the peer's, as `-m addrtype` names them. */
const HOST_END: Record<string, Tri> = { LOCAL: 'yes', BROADCAST: 'no', MULTICAST: 'no', ANYCAST: 'no' };
const PEER_END: Record<string, Tri> = { LOCAL: 'no', BROADCAST: 'no', MULTICAST: 'no', ANYCAST: 'no' };

function addrtype(b: Block, p: Packet): Tri {
  let t: Tri = 'yes';
  for (const g of b.opts) {
    const name = optName(g);
    if (name !== '--src-type' && name !== '--dst-type') return 'maybe';
    const hostEnd = (name === '--dst-type') === (p.direction === 'in');
    const types = (optValues(g)[0] ?? '')
      .split(',')
      .map((v) => (hostEnd ? HOST_END : PEER_END)[v] ?? 'maybe');
    const any: Tri = types.includes('yes') ? 'yes' : types.every((x) => x === 'no') ? 'no' : 'maybe';
    t = and(t, neg(g, any));
  }
  return t;
}

function block(b: Block, p: Packet, recent: RecentState, marks?: MarkState): Tri {
  switch (b.name) {
    case 'tcp':
    case 'multiport':
      return ports(b, p);
    case 'udp':
    case 'icmp':
    case 'icmp6':
    case 'sctp':
    case 'udplite':
    case 'dccp':
      return 'no';
    case 'conntrack':
      return conntrack(b, p);
    case 'comment':
      return 'yes';
    case 'recent':
      return recentMatch(b, recent);
    case 'set':
      return setMatch(b, p);
    case 'addrtype':
      return addrtype(b, p);
    case 'mark':
    case 'connmark':
      return marks ? markMatch(b, marks) : 'maybe';
    case 'rpfilter':
      if (!p.management) return 'maybe';
      return b.opts.some((g) => optName(g) === '--invert') ? 'no' : 'yes';
    default:
      return 'maybe';
  }
}
