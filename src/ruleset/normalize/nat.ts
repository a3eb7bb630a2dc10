/**
 * NAT and connection-tracking targets as the kernel prints them: `--to` spelled out
 * (`--to-destination`, `--to-source`), addresses canonical, `a-a` ranges as `a`; CT's zone 0
 * is no zone; NFQUEUE always names its queue; NFLOG's group 0 is the default.
 */
import ipaddr from 'ipaddr.js';
import type { Family } from '../model.js';
import { normalizeAddress } from './addresses.js';
import { optName } from './groups.js';
import { decimal } from './numbers.js';
import { dropDefault, mapValue, type OptFn, renameAll, renamed, withDefault } from './opts.js';

/** `a-a` → `a`; each side through `fn`. */
function range(text: string, fn: (s: string) => string = (s) => s): string {
  const [a = '', b, ...rest] = text.split('-');
  if (b === undefined || rest.length) return fn(text);
  const [x, y] = [fn(a), fn(b)];
  return x === y ? x : `${x}-${y}`;
}

function plainAddress(text: string): string {
  if (!ipaddr.isValid(text)) return text;
  const a = ipaddr.parse(text);
  return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
}

/** `addr[-addr][:port[-port]]`, IPv6 as `[addr[-addr]]:port` or a bare address range. */
function natRange(text: string, family: Family): string {
  if (family === 6) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
    if (!m) return range(text, plainAddress);
    return m[2] === undefined
      ? `[${range(m[1]!, plainAddress)}]`
      : `[${range(m[1]!, plainAddress)}]:${range(m[2])}`;
  }
  const [addr = '', ports, ...rest] = text.split(':');
  if (rest.length) return text;
  const a = addr === '' ? '' : range(addr, plainAddress);
  return ports === undefined ? a : `${a}:${range(ports, decimal)}`;
}

function nat(to: string): OptFn {
  return (opts, family) =>
    mapValue(
      opts.map((g) => (optName(g) === '--to' ? renamed(g, to) : g)),
      to,
      (v) => natRange(v, family),
    );
}

const toPorts: OptFn = (opts) =>
  mapValue(renameAll(opts, { '--to-port': '--to-ports' }), '--to-ports', (v) => range(v, decimal));

const zone = (o: ReturnType<OptFn>) =>
  ['--zone', '--zone-orig', '--zone-reply'].reduce(
    (acc, z) => dropDefault(mapValue(acc, z, decimal), z, '0'),
    o,
  );

export const NAT_TARGETS: Record<string, OptFn> = {
  DNAT: nat('--to-destination'),
  SNAT: nat('--to-source'),
  REDIRECT: toPorts,
  MASQUERADE: toPorts,
  NETMAP: (opts, family) => mapValue(opts, '--to', (v) => normalizeAddress(v, family)),
  CT: zone,
  NFQUEUE: (opts) =>
    mapValue(
      withDefault(opts, ['--queue-num', '0'], ['--queue-num', '--queue-balance']),
      '--queue-num',
      decimal,
    ),
  NFLOG: (opts) => dropDefault(dropDefault(opts, '--nflog-group', '0'), '--nflog-range'),
};
