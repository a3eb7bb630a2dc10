/**
 * Addresses as the kernel prints them back: a bare address gets /32 (/128), a dotted mask
 * becomes a prefix length, host bits are cleared, IPv6 is lower-case and compressed (RFC 5952).
 * A comma list (`-s a,b`) is several rules to iptables: see `splitAddressLists`.
 */
import ipaddr from 'ipaddr.js';
import type { Family } from '../model.js';

/**
 * Results already computed (pure functions of their text): plan, audit and the lockout
 * simulation ask for the same few addresses for every rule of every host (bench/README.md).
 */
function memoized<T>(compute: (key: string) => T, max = 20_000): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    if (memo.has(key)) return memo.get(key) as T;
    const value = compute(key);
    if (memo.size >= max) memo.clear();
    memo.set(key, value);
    return value;
  };
}

const normalizeMemo = [memoized((v) => normalizeUncached(v, 4)), memoized((v) => normalizeUncached(v, 6))];

export function normalizeAddress(value: string, family: Family): string {
  return normalizeMemo[family === 4 ? 0 : 1]!(value);
}

function normalizeUncached(value: string, family: Family): string {
  const slash = value.indexOf('/');
  const addrText = slash < 0 ? value : value.slice(0, slash);
  const maskText = slash < 0 ? undefined : value.slice(slash + 1);
  if (!ipaddr.isValid(addrText)) return value; // a host name: iptables resolves it, we cannot
  const addr = ipaddr.parse(addrText);
  const bits = addr.kind() === 'ipv4' ? 32 : 128;
  if ((family === 4) !== (bits === 32)) return value;
  const prefix = prefixOf(maskText, bits);
  if (prefix === undefined) return maskedNonContiguous(addr, maskText!);
  return `${show(network(addr, prefix))}/${prefix}`;
}

function prefixOf(mask: string | undefined, bits: number): number | undefined {
  if (mask === undefined) return bits;
  if (/^\d+$/.test(mask)) return Math.min(Number(mask), bits);
  if (!ipaddr.isValid(mask)) return undefined;
  return ipaddr.parse(mask).prefixLengthFromSubnetMask() ?? undefined;
}

function network(addr: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = addr.toByteArray();
  const out = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & (0xff << (8 - keep)) & 0xff;
  });
  return ipaddr.fromByteArray(out);
}

function maskedNonContiguous(addr: ipaddr.IPv4 | ipaddr.IPv6, maskText: string): string {
  if (!ipaddr.isValid(maskText)) return `${show(addr)}/${maskText}`;
  const mask = ipaddr.parse(maskText).toByteArray();
  const masked = ipaddr.fromByteArray(addr.toByteArray().map((b, i) => b & (mask[i] ?? 0)));
  return `${show(masked)}/${show(ipaddr.parse(maskText))}`;
}

function show(a: ipaddr.IPv4 | ipaddr.IPv6): string {
  return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
}

/** Does `inner` (a CIDR) lie wholly inside `outer`? Different families never do. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || o[0].kind() !== i[0].kind() || i[1] < o[1]) return false;
  return (i[0] as ipaddr.IPv4).match(o as [ipaddr.IPv4, number]);
}

/** The parsed address and prefix length; shared between callers, so never to be changed. */
export const parseCidr = memoized(parseCidrUncached);

function parseCidrUncached(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  try {
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const a = ipaddr.parse(text);
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

/** Family of an address or CIDR, if it is one. */
export function familyOf(text: string): Family | undefined {
  const c = parseCidr(text);
  return c ? (c[0].kind() === 'ipv4' ? 4 : 6) : undefined;
}
