/**
 * Address, packet and socket matches as the kernel prints them: iprange addresses canonical,
 * addrtype names upper-case in kernel order, pkttype lower-case (`host` is `unicast`), lengths
 * as ranges, MACs lower-case two digits per byte, owner ids (`root` → 0, `5-5` → 5), ipset's
 * `--set` as `--match-set` with its default counters dropped, time with seconds and without the
 * default dates, statistic's probability as the kernel stores it, devgroup and realm in hex.
 */
import ipaddr from 'ipaddr.js';
import { hex, reprint } from './numbers.js';
import { dropDefault, mapValue, type OptFn, renameAll, sortList } from './opts.js';
import { portRange } from './ports.js';

const ADDRTYPES = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
];

function plain(text: string): string {
  if (!ipaddr.isValid(text)) return text;
  const a = ipaddr.parse(text);
  return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
}

const ipRange = (v: string) => v.split('-').map(plain).join('-');

/** `a:a` → `a`, `:b` → `0:b`, `a:` → `a:65535` (as ports, which lengths are printed like). */
const lengthRange = (v: string) => (/^\d*:?\d*$/.test(v) ? portRange(v) : v);

function mac(v: string): string {
  const parts = v.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-f]{1,2}$/i.test(p))) return v;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

/** uid/gid: only root is the same number on every host; `a-a` is `a`. */
function ownerId(v: string): string {
  if (v === 'root') return '0';
  const [a, b, ...rest] = v.split('-');
  return b !== undefined && !rest.length && a === b ? a! : v;
}

const clock = (v: string) => (/^\d{1,2}:\d{2}$/.test(v) ? `${v.padStart(5, '0')}:00` : v);

/** `2020-01-01` → `2020-01-01T00:00:00`, `…T08:00` → `…T08:00:00`. */
function date(v: string): string {
  const [day = '', time] = v.split('T');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return v;
  return `${day}T${time === undefined ? '00:00:00' : clock(time)}`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function weekdays(v: string): string {
  const days = v.split(',').map((d) => (/^[1-7]$/.test(d) ? WEEKDAYS[Number(d) - 1]! : d));
  const known = days.every((d) => WEEKDAYS.includes(d));
  return known ? WEEKDAYS.filter((d) => days.includes(d)).join(',') : v;
}

const timeMatch: OptFn = (o) => {
  let out = mapValue(mapValue(o, '--timestart', clock), '--timestop', clock);
  out = mapValue(mapValue(out, '--datestart', date), '--datestop', date);
  out = mapValue(out, '--weekdays', weekdays);
  return dropDefault(
    dropDefault(out, '--datestop', '2038-01-19T03:14:07'),
    '--datestart',
    '1970-01-01T00:00:00',
  );
};

function probability(v: string): string {
  const p = Number(v);
  if (!Number.isFinite(p) || p < 0 || p > 1) return v;
  return (Math.round(0x80000000 * p) / 0x80000000).toFixed(11);
}

const PKTTYPES: Record<string, string> = { host: 'unicast' };

/** ipv6header's short names, as libip6t_ipv6header prints them. */
const IPV6_HEADERS: Record<string, string> = {
  hop: 'hop-by-hop',
  dst: 'ipv6-opts',
  route: 'ipv6-route',
  frag: 'ipv6-frag',
  auth: 'ah',
  none: 'ipv6-nonxt',
  prot: 'protocol',
};
const ipv6Headers = (v: string) =>
  v
    .split(',')
    .map((h) => IPV6_HEADERS[h.toLowerCase()] ?? h.toLowerCase())
    .join(',');

export const MISC_MATCHES: Record<string, OptFn> = {
  iprange: (o) => mapValue(mapValue(o, '--src-range', ipRange), '--dst-range', ipRange),
  addrtype: (o) =>
    mapValue(mapValue(o, '--src-type', sortList(ADDRTYPES, 0)), '--dst-type', sortList(ADDRTYPES, 0)),
  pkttype: (o) => mapValue(o, '--pkt-type', (v) => PKTTYPES[v.toLowerCase()] ?? v.toLowerCase()),
  length: (o) => mapValue(o, '--length', lengthRange),
  mac: (o) => mapValue(o, '--mac-source', mac),
  owner: (o) => mapValue(mapValue(o, '--uid-owner', ownerId), '--gid-owner', ownerId),
  set: (o) =>
    dropDefault(
      dropDefault(renameAll(o, { '--set': '--match-set' }), '--update-counters'),
      '--update-subcounters',
    ),
  time: timeMatch,
  statistic: (o) => mapValue(o, '--probability', probability),
  devgroup: (o) => mapValue(mapValue(o, '--src-group', reprint(hex)), '--dst-group', reprint(hex)),
  realm: (o) => mapValue(o, '--realm', reprint(hex)),
  ipv6header: (o) => mapValue(o, '--header', ipv6Headers),
};
