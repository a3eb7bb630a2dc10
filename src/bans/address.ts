/**
 * Ban targets: an IPv4 or IPv6 address or CIDR, validated strictly (no `127.1`, no zone ids, no
 * IPv4-mapped IPv6) and normalized (host bits cleared, RFC 5952 text), so that equal bans compare
 * equal as strings and the text is what iptables and ipset print back.
 */
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface BanTarget {
  /** Canonical CIDR, always with a prefix: `203.0.113.7/32`, `2001:db8::/32`. */
  cidr: string;
  family: Family;
}

export type TargetParse =
  | { ok: true; target: BanTarget /** the input had host bits set */; hostBitsCleared: boolean }
  | { ok: false; message: string };

/** Shortest prefix accepted without `--force`: wider bans are almost always a typo. */
export const MIN_PREFIX: Readonly<Record<Family, number>> = { 4: 8, 6: 32 };

const MAX_PREFIX: Readonly<Record<Family, number>> = { 4: 32, 6: 128 };

export function parseBanTarget(input: string): TargetParse {
  const text = input.trim();
  const parts = text.split('/');
  const addr = parts[0] ?? '';
  const family = familyOf(addr);
  if (parts.length > 2 || family === null) return notAnAddress(input);
  const prefix = parsePrefix(parts[1], family);
  if (prefix === null)
    return { ok: false, message: `"${input}": the prefix length must be 0-${MAX_PREFIX[family]}` };
  const network = networkText(addr, prefix, family);
  const cidr = `${network}/${prefix}`;
  return { ok: true, target: { cidr, family }, hostBitsCleared: network !== canonicalAddress(addr, family) };
}

function notAnAddress(input: string): TargetParse {
  return { ok: false, message: `"${input}" is not an IPv4 or IPv6 address or CIDR` };
}

/** 4, 6, or null when `addr` is not an address fleet accepts. */
export function familyOf(addr: string): Family | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) return 4;
  if (addr.includes('%') || !addr.includes(':') || !ipaddr.IPv6.isValid(addr)) return null;
  return ipaddr.IPv6.parse(addr).isIPv4MappedAddress() ? null : 6;
}

function parsePrefix(text: string | undefined, family: Family): number | null {
  if (text === undefined) return MAX_PREFIX[family];
  if (!/^\d{1,3}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_PREFIX[family] ? n : null;
}

function canonicalAddress(addr: string, family: Family): string {
  return family === 4 ? ipaddr.IPv4.parse(addr).toString() : ipaddr.IPv6.parse(addr).toRFC5952String();
}

function networkText(addr: string, prefix: number, family: Family): string {
  if (family === 4) return ipaddr.IPv4.networkAddressFromCIDR(`${addr}/${prefix}`).toString();
  return ipaddr.IPv6.networkAddressFromCIDR(`${addr}/${prefix}`).toRFC5952String();
}

export function prefixOf(cidr: string): number {
  return Number(cidr.slice(cidr.lastIndexOf('/') + 1));
}

/** Wider than MIN_PREFIX: refused unless forced. */
export function isTooWide(t: BanTarget): boolean {
  return prefixOf(t.cidr) < MIN_PREFIX[t.family];
}

/** How a person reads a ban: a single address without `/32` or `/128` (also how ipset prints it). */
export function displayCidr(cidr: string): string {
  const slash = cidr.lastIndexOf('/');
  const single = cidr.slice(slash + 1) === (cidr.includes(':') ? '128' : '32');
  return single ? cidr.slice(0, slash) : cidr;
}

/** Do two CIDRs of one family share any address? (One contains the other's network.) */
export function overlaps(a: string, b: string): boolean {
  const [aa, ap] = ipaddr.parseCIDR(a);
  const [ba, bp] = ipaddr.parseCIDR(b);
  if (aa.kind() !== ba.kind()) return false;
  return ap <= bp ? ba.match(aa, ap) : aa.match(ba, bp);
}
