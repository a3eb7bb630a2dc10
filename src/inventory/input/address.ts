/**
 * Addresses and CIDRs, validated with ipaddr.js. IPv4 must be plain four-part decimal
 * (no octal/hex forms). A bare address means /32 or /128. Host bits set (10.0.0.5/24) are
 * refused with the two likely fixes, because silently widening or narrowing a rule is worse.
 */
import ipaddr from 'ipaddr.js';
import type { Source } from '../../model/profile.js';

export type CidrResult = { ok: true; source: Source } | { ok: false; message: string };

export function parseSource(text: string): CidrResult {
  const [addr = '', bits, extra] = text.trim().split('/');
  if (extra !== undefined) return fail(text, 'more than one "/"');
  const ip = parseAddress(addr);
  if (!ip) return fail(text, 'not an IPv4 or IPv6 address');
  const max = ip.kind() === 'ipv4' ? 32 : 128;
  const len = bits === undefined ? max : Number(bits);
  if (!/^\d{1,3}$/.test(bits ?? '0') || len > max) return fail(text, `prefix length must be 0 to ${max}`);
  const net = networkOf(ip, len);
  if (net !== ip.toString()) {
    return {
      ok: false,
      message: `"${text}" has host bits set: write ${net}/${len} for the network or ${ip.toString()}/${max} for the one address`,
    };
  }
  return { ok: true, source: { cidr: `${net}/${len}`, family: max === 32 ? 4 : 6 } };
}

/** An IPv4 (strict dotted decimal) or IPv6 address (no zone), else undefined. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

function networkOf(ip: ipaddr.IPv4 | ipaddr.IPv6, len: number): string {
  const net =
    ip.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${ip}/${len}`)
      : ipv6Network(ip as ipaddr.IPv6, len);
  return net.toString();
}

function ipv6Network(ip: ipaddr.IPv6, len: number): ipaddr.IPv6 {
  const bytes = ip.toByteArray().map((b, i) => {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    return b & (0xff << (8 - keep)) & 0xff;
  });
  return ipaddr.fromByteArray(bytes) as ipaddr.IPv6;
}

function fail(text: string, why: string): CidrResult {
  return {
    ok: false,
    message: `"${text}" is not a valid address or CIDR (${why}); write e.g. 192.0.2.0/24 or 2001:db8::/32`,
  };
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** A host's connect address: an IP address or a DNS name. Returns an error message or undefined. */
export function checkHostAddress(text: string): string | undefined {
  if (parseAddress(text)) return undefined;
  if (/^[\d.]+$/.test(text) || text.includes(':'))
    return `"${text}" is not a valid IP address; write e.g. 192.0.2.10 or 2001:db8::10`;
  if (!HOSTNAME.test(text)) return `"${text}" is not a valid IP address or DNS name`;
  return undefined;
}
