/**
 * What the kernel does to each match's and target's options between iptables-restore and
 * iptables-save: names become numbers, defaults are dropped or added, lists are reordered.
 * One small function per module (here and in marks, nat, hashlimit, conntrack, misc); modules
 * not listed pass through unchanged.
 */
import type { Family } from '../model.js';
import { connlimit, conntrack } from './conntrack.js';
import { type Block, isNegated, type OptGroup, optName, optValues, withValues } from './groups.js';
import { hashlimit } from './hashlimit.js';
import { MARK_MATCHES, MARK_TARGETS } from './marks.js';
import { MISC_MATCHES } from './misc.js';
import { ICMP4, ICMP6, LOG_LEVELS, TCP_FLAGS } from './names.js';
import { NAT_TARGETS } from './nat.js';
import { dropDefault, mapValue, type OptFn, renameAll, sortList } from './opts.js';
import { isAllPorts, portList, portRange } from './ports.js';
import { normalizeRate } from './rate.js';

const PORT_RENAMES: Record<string, string> = {
  '--destination-port': '--dport',
  '--source-port': '--sport',
  '--destination-ports': '--dports',
  '--source-ports': '--sports',
};

function ports(opts: OptGroup[]): OptGroup[] {
  let out = renameAll(opts, PORT_RENAMES).filter(
    (g) =>
      !(['--dport', '--sport'].includes(optName(g)) && !isNegated(g) && isAllPorts(optValues(g)[0] ?? '')),
  );
  out = mapValue(mapValue(out, '--dport', portRange), '--sport', portRange);
  out = out.map((g) => (optName(g) === '--syn' ? withTcpFlags(g) : g));
  out = out.map((g) =>
    optName(g) === '--tcp-flags' ? withValues(g, optValues(g).map(sortList(TCP_FLAGS))) : g,
  );
  // a mask of no flags matches every packet: the kernel prints nothing
  return out.filter((g) => !(optName(g) === '--tcp-flags' && !isNegated(g) && optValues(g)[0] === 'NONE'));
}

function withTcpFlags(g: OptGroup): OptGroup {
  const body = ['--tcp-flags', 'FIN,SYN,RST,ACK', 'SYN'];
  return isNegated(g) ? ['!', ...body] : body;
}

const icmpType = (table: Record<string, string>) => (v: string) => table[v] ?? table[v.toLowerCase()] ?? v;

const REJECT4: Record<string, string> = {
  'tcp-rst': 'tcp-reset',
  'net-unreach': 'icmp-net-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'net-prohib': 'icmp-net-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'admin-prohib': 'icmp-admin-prohibited',
};

const REJECT6: Record<string, string> = {
  'no-route': 'icmp6-no-route',
  'adm-prohibited': 'icmp6-adm-prohibited',
  'admin-prohib': 'icmp6-adm-prohibited',
  'addr-unreach': 'icmp6-addr-unreachable',
  'port-unreach': 'icmp6-port-unreachable',
  'policy-fail': 'icmp6-policy-fail',
  'reject-route': 'icmp6-reject-route',
};

const ALL_ONES: Record<Family, string> = {
  4: '255.255.255.255',
  6: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
};

export const MATCHES: Record<string, OptFn> = {
  tcp: ports,
  udp: ports,
  sctp: ports,
  dccp: ports,
  udplite: ports,
  multiport: (o) =>
    ['--dports', '--sports', '--ports'].reduce(
      (acc, name) => mapValue(acc, name, portList),
      renameAll(o, PORT_RENAMES),
    ),
  icmp: (o) =>
    mapValue(mapValue(o, '--icmp-type', icmpType(ICMP4)), '--icmp-type', (v) => (v === '255' ? 'any' : v)),
  icmp6: (o) => mapValue(o, '--icmpv6-type', icmpType(ICMP6)),
  conntrack,
  connlimit,
  hashlimit,
  limit: (o) =>
    dropDefault(
      dropDefault(mapValue(o, '--limit', normalizeRate), '--limit-burst', '5'),
      '--limit',
      '3/hour',
    ),
  recent: (o, f) =>
    dropDefault(dropDefault(dropDefault(o, '--rsource'), '--name', 'DEFAULT'), '--mask', ALL_ONES[f]),
  ...MARK_MATCHES,
  ...MISC_MATCHES,
};

export const TARGETS: Record<string, OptFn> = {
  ...NAT_TARGETS,
  ...MARK_TARGETS,
  LOG: (o) =>
    dropDefault(
      mapValue(o, '--log-level', (v) => LOG_LEVELS[v.toLowerCase()] ?? v),
      '--log-level',
      '4',
    ),
  REJECT: (o, f) => {
    const table = f === 4 ? REJECT4 : REJECT6;
    const dflt = f === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable';
    return dropDefault(
      mapValue(o, '--reject-with', (v) => table[v] ?? v),
      '--reject-with',
      dflt,
    );
  },
};

/** `-m state` is the conntrack match's `--ctstate` under another name. */
export function normalizeBlock(b: Block, family: Family, fns: Record<string, OptFn>): Block {
  const name = b.name === 'state' ? 'conntrack' : b.name;
  const fn = fns[name];
  const opts = fn ? fn(b.opts, family) : b.opts;
  return { ...b, name, opts: sortOptions(opts) };
}

/** Inside one match, option order carries no meaning; iptables-save prints its own order. */
function sortOptions(opts: OptGroup[]): OptGroup[] {
  return opts
    .map((g, i) => ({ g, i }))
    .sort((a, b) => (optName(a.g) < optName(b.g) ? -1 : optName(a.g) > optName(b.g) ? 1 : a.i - b.i))
    .map(({ g }) => g);
}
