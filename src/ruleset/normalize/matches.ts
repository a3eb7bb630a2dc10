/**
 * What the kernel does to each match's and target's options between iptables-restore and
 * iptables-save: names become numbers, defaults are dropped or added, lists are reordered.
 * One small function per module; modules not listed pass through unchanged.
 */
import type { Family } from '../model.js';
import { type Block, isNegated, type OptGroup, optName, optValues, withValues } from './groups.js';
import { CT_STATES, ICMP4, ICMP6, LOG_LEVELS, TCP_FLAGS } from './names.js';
import { isAllPorts, portList, portRange } from './ports.js';
import { normalizeRate } from './rate.js';

type OptFn = (opts: OptGroup[], family: Family) => OptGroup[];

const RENAMES: Record<string, string> = {
  '--destination-port': '--dport',
  '--source-port': '--sport',
  '--destination-ports': '--dports',
  '--source-ports': '--sports',
  '--state': '--ctstate',
};

function rename(opts: OptGroup[]): OptGroup[] {
  return opts.map((g) => {
    const to = RENAMES[optName(g)];
    return to ? (isNegated(g) ? ['!', to, ...optValues(g)] : [to, ...optValues(g)]) : g;
  });
}

function mapValue(opts: OptGroup[], name: string, fn: (v: string) => string): OptGroup[] {
  return opts.map((g) => (optName(g) === name ? withValues(g, optValues(g).map(fn)) : g));
}

function dropDefault(opts: OptGroup[], name: string, value?: string): OptGroup[] {
  return opts.filter(
    (g) => !(optName(g) === name && !isNegated(g) && (value === undefined || optValues(g)[0] === value)),
  );
}

function sortList(order: readonly string[]) {
  return (v: string) => {
    const items = v.split(',').map((s) => s.toUpperCase());
    const expanded = items.includes('ALL') ? order.slice(0, 6) : items.filter((s) => s !== 'NONE');
    const known = expanded
      .filter((s) => order.includes(s))
      .sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const out = [...new Set([...known, ...expanded.filter((s) => !order.includes(s))])];
    return out.length === 0 ? 'NONE' : out.join(',');
  };
}

function ports(opts: OptGroup[]): OptGroup[] {
  let out = rename(opts).filter(
    (g) =>
      !(['--dport', '--sport'].includes(optName(g)) && !isNegated(g) && isAllPorts(optValues(g)[0] ?? '')),
  );
  out = mapValue(mapValue(out, '--dport', portRange), '--sport', portRange);
  out = out.map((g) => (optName(g) === '--syn' ? withTcpFlags(g) : g));
  return out.map((g) =>
    optName(g) === '--tcp-flags' ? withValues(g, optValues(g).map(sortList(TCP_FLAGS))) : g,
  );
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
  'tcp-rst': 'tcp-reset',
  'no-route': 'icmp6-no-route',
  'adm-prohibited': 'icmp6-adm-prohibited',
  'admin-prohib': 'icmp6-adm-prohibited',
  'addr-unreach': 'icmp6-addr-unreachable',
  'port-unreach': 'icmp6-port-unreachable',
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
    mapValue(mapValue(mapValue(rename(o), '--dports', portList), '--sports', portList), '--ports', portList),
  icmp: (o) => mapValue(o, '--icmp-type', icmpType(ICMP4)),
  icmp6: (o) => mapValue(o, '--icmpv6-type', icmpType(ICMP6)),
  conntrack: (o) => mapValue(rename(o), '--ctstate', sortList(CT_STATES)),
  limit: (o) =>
    dropDefault(
      dropDefault(mapValue(o, '--limit', normalizeRate), '--limit-burst', '5'),
      '--limit',
      '3/hour',
    ),
  recent: (o, f) =>
    dropDefault(dropDefault(dropDefault(o, '--rsource'), '--name', 'DEFAULT'), '--mask', ALL_ONES[f]),
  mac: (o) => mapValue(o, '--mac-source', (v) => v.toUpperCase()),
};

/** getopt accepts unique prefixes; these are the ones seen in real dumps. */
const toPorts: OptFn = (o) =>
  o.map((g) => (optName(g) === '--to-port' ? withValues(['--to-ports'], optValues(g)) : g));

export const TARGETS: Record<string, OptFn> = {
  REDIRECT: toPorts,
  MASQUERADE: toPorts,
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
