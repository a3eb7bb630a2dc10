/**
 * The ban guard: a ban is pushed without a watchdog, so it must never cover an address the
 * operator reaches the fleet from, or one the hosts need. Refused, with no override (not even
 * --force): to block such a range, change a profile and `fleet apply`, which has a watchdog.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { type BanTarget, displayCidr, overlaps, parseBanTarget } from './address.js';

export interface ProtectedRange {
  cidr: string;
  /** For the message: `this workstation (eth0 192.0.2.5)`, `settings.management_sources`... */
  why: string;
}

/**
 * Ranges no host may ever drop, whatever the flags: loopback, link-local (IPv6 neighbour
 * discovery; IPv4's holds the cloud metadata service and many resolvers), "this network",
 * multicast (routing protocols, mDNS, IPv6 neighbour discovery), broadcast and the reserved
 * class E (no host sends from there; a ban of it is a typo that also catches broadcast).
 * Most specific first, so the message names the narrowest reason.
 */
export const ALWAYS_PROTECTED: readonly ProtectedRange[] = [
  { cidr: '127.0.0.0/8', why: 'loopback' },
  { cidr: '0.0.0.0/32', why: 'the unspecified address' },
  { cidr: '0.0.0.0/8', why: '"this network" (0.0.0.0/8, DHCP clients send from it)' },
  { cidr: '169.254.0.0/16', why: 'IPv4 link-local (169.254.0.0/16: cloud metadata, DHCP fallback)' },
  { cidr: '224.0.0.0/4', why: 'IPv4 multicast (224.0.0.0/4)' },
  { cidr: '255.255.255.255/32', why: 'the IPv4 broadcast address' },
  { cidr: '240.0.0.0/4', why: 'the reserved IPv4 range 240.0.0.0/4' },
  { cidr: '::1/128', why: 'loopback' },
  { cidr: '::/128', why: 'the unspecified address' },
  { cidr: 'fe80::/10', why: 'IPv6 link-local (neighbour discovery)' },
  { cidr: 'ff00::/8', why: 'IPv6 multicast (ff00::/8: neighbour discovery, routers)' },
];

export interface GuardInput {
  /** os.networkInterfaces() of the workstation. */
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** settings.management_sources, as CIDR text. */
  managementSources: readonly string[];
  /** Inventory hosts (a ban must not cut hosts off each other or from a ProxyJump bastion). */
  hosts: readonly { name: string; address: string }[];
}

export function protectedRanges(input: GuardInput): ProtectedRange[] {
  const out: ProtectedRange[] = [];
  for (const [name, infos] of Object.entries(input.interfaces)) {
    for (const i of infos ?? [])
      push(out, i.address.split('%')[0]!, `this workstation (${name} ${i.address})`);
  }
  for (const s of input.managementSources) push(out, s, `settings.management_sources (${s})`);
  for (const h of input.hosts) push(out, h.address, `inventory host ${h.name} (${h.address})`);
  return [...out, ...ALWAYS_PROTECTED];
}

function push(out: ProtectedRange[], text: string, why: string): void {
  const r = parseBanTarget(text);
  if (r.ok) out.push({ cidr: r.target.cidr, why });
}

/** The first protected range the ban would cover or fall inside, if any. */
export function findConflict(t: BanTarget, ranges: readonly ProtectedRange[]): ProtectedRange | undefined {
  return ranges.find((r) => r.cidr.includes(':') === (t.family === 6) && overlaps(t.cidr, r.cidr));
}

export function conflictMessage(input: string, t: BanTarget, r: ProtectedRange): string {
  const what = displayCidr(t.cidr) === input.trim() ? input.trim() : `${input} (${t.cidr})`;
  return `refusing to ban ${what}: it covers ${r.why}; a ban has no watchdog, so fleet never bans that (not even with --force)`;
}
