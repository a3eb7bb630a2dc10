/**
 * Connection-tracking matches as the kernel prints them: conntrack's states and statuses in
 * kernel order, protocols as numbers, addresses without a full-length mask (conntrack keeps
 * host bits: `10.0.0.1/24` stays), `a:a` ports as `a`; connlimit always shows its mask and
 * `--connlimit-saddr`, and `! --connlimit-upto` is `--connlimit-above`.
 */
import ipaddr from 'ipaddr.js';
import type { Family } from '../model.js';
import { isNegated, type OptGroup, optName, optValues, withValues } from './groups.js';
import { CT_STATES, PROTO_NUMBERS } from './names.js';
import { mapValue, type OptFn, renameAll, sortList, withDefault } from './opts.js';
import { portRange } from './ports.js';

const CT_STATUS = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];
const CT_ADDRS = ['--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst'];
const CT_PORTS = ['--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport'];

/** An address as conntrack prints it: `addr` or `addr/len`, host bits kept. */
function ctAddress(text: string): string {
  const [addr = '', mask] = text.split('/');
  if (!ipaddr.isValid(addr)) return text;
  const a = ipaddr.parse(addr);
  const bits = a.kind() === 'ipv4' ? 32 : 128;
  const shown = a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
  let len: number | undefined = mask === undefined ? bits : undefined;
  if (mask !== undefined && /^\d+$/.test(mask)) len = Number(mask);
  else if (mask !== undefined && ipaddr.isValid(mask))
    len = ipaddr.parse(mask).prefixLengthFromSubnetMask() ?? undefined;
  if (len === undefined) return text;
  return len === bits ? shown : `${shown}/${len}`;
}

const ctProto = (v: string) => PROTO_NUMBERS[v.toLowerCase()] ?? v;

export const conntrack: OptFn = (opts) => {
  let out = renameAll(opts, { '--state': '--ctstate' });
  out = mapValue(mapValue(out, '--ctstate', sortList(CT_STATES)), '--ctstatus', sortList(CT_STATUS));
  out = mapValue(out, '--ctproto', ctProto);
  out = out.map((g) => (CT_ADDRS.includes(optName(g)) ? withValues(g, optValues(g).map(ctAddress)) : g));
  return out.map((g) => (CT_PORTS.includes(optName(g)) ? withValues(g, optValues(g).map(portRange)) : g));
};

function connlimitDirection(g: OptGroup): OptGroup {
  if (!isNegated(g)) return g;
  const to = optName(g) === '--connlimit-upto' ? '--connlimit-above' : '--connlimit-upto';
  return [to, ...optValues(g)];
}

export const connlimit: OptFn = (opts, family: Family) => {
  const out = opts.map((g) =>
    ['--connlimit-upto', '--connlimit-above'].includes(optName(g)) ? connlimitDirection(g) : g,
  );
  const masked = withDefault(out, ['--connlimit-mask', family === 4 ? '32' : '128']);
  return withDefault(masked, ['--connlimit-saddr'], ['--connlimit-saddr', '--connlimit-daddr']);
};
