/**
 * Addresses as the kernel prints them back: a bare address gets /32 (/128), a dotted mask
 * becomes a prefix length, host bits are cleared, IPv6 is lower-case and compressed (RFC 5952).
 * A comma list (`-s a,b`) is several rules to iptables: see `splitAddressLists`.
 */
import ipaddr from 'ipaddr.js';
import type { Family } from '../model.js';

export function normalizeAddress(value: string, family: Family): string {
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

export function parseCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
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
