/**
 * The lab's plan, as pure functions: subnets, addresses, host names, groups, interface and
 * namespace names. Nothing here touches the system.
 *
 * Per lab: an IPv4 /24 and an IPv6 ULA /64 derived from it.
 *   .1 / ::1                      the workstation (on the lab bridge)
 *   .10 … .223 / ::10 …           visible hosts, on the lab bridge
 *   .224/27 / ::1:0/112           the hidden segment (second bridge): .225 / ::1:225 is the
 *                                 bastion's second interface, hidden hosts from .226 / ::1:226
 * The workstation has no address on the hidden bridge; the guard routes cover everything.
 */
import ipaddr from 'ipaddr.js';
import { InputError } from '../errors.js';

export const FIRST_HOST = 10;
export const MAX_VISIBLE = 214; // .10 … .223
export const HIDDEN_BASE = 224; // .224/27
export const MAX_HIDDEN = 28; // .226 … .253
export const GUARD_METRIC = 2_000_000_000;

export const GROUP_WEB = 'web-servers';
export const GROUP_DB = 'db-servers';
export const GROUP_BASTION = 'bastion';
export const GROUP_HIDDEN = 'hidden';
export const GROUP_RPM = 'rpm';
export const GROUP_PARENT = 'lab';

export interface HostPlan {
  name: string;
  /** 1-based position in the lab. */
  index: number;
  address: string;
  prefix4: number;
  address6: string;
  prefix6: number;
  netns: string;
  /** Root-namespace end of the host's veth (the host's end is eth0). */
  veth: string;
  /** The bridge the host's veth joins. */
  bridge: string;
  hidden: boolean;
  groups: string[];
  /** Set on the bastion when the lab has hidden hosts: its second interface (eth1). */
  second?: { address: string; address6: string; veth: string };
  proxyJump?: string;
  /** Set on RPM-flavour hosts (src/lab/rpm-flavor.ts); Debian otherwise. */
  flavor?: 'rpm';
}

export interface LabPlan {
  name: string;
  id: number;
  subnet: string;
  subnet6: string;
  workstation: { v4: string; v6: string };
  bridge: string;
  hiddenBridge?: string;
  hosts: HostPlan[];
}

export interface PlanOptions {
  name: string;
  id: number;
  subnet: string;
  count: number;
  hidden?: number;
  group?: string;
  /** The last `rpm` visible hosts are of the RPM flavour (group `rpm` too). */
  rpm?: number;
}

const PRIVATE_V4: Array<[number, number, number]> = [
  // [first octet, second octet min, second octet max]
  [10, 0, 255],
  [172, 16, 31],
  [192, 168, 168],
];

/** RFC 5952 text of an IPv6 address (what ssh, ip and known_hosts print). */
export function canonical6(addr: string): string {
  return ipaddr.parse(addr).toString();
}

/** `a.b.c.0/24` inside a private range → `a.b.c`. */
export function parseSubnet(cidr: string): { octets: [number, number, number]; prefix: string } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(cidr);
  const nums = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [];
  if (!m || nums.some((n) => n > 255)) {
    throw new InputError(`lab subnet "${cidr}" is not valid: give an IPv4 /24 such as 10.213.7.0/24`);
  }
  const [a, b, c] = nums as [number, number, number];
  if (!PRIVATE_V4.some(([f, lo, hi]) => a === f && b >= lo && b <= hi)) {
    throw new InputError(`lab subnet "${cidr}" is not in a private range (10/8, 172.16/12, 192.168/16)`);
  }
  return { octets: [a, b, c], prefix: `${a}.${b}.${c}` };
}

/** The lab's IPv6 ULA prefix (no trailing "::"), derived from its IPv4 /24. */
export function prefix6For(octets: [number, number, number]): string {
  const [a, b, c] = octets;
  return `fdf1:ee70:${((a << 8) | b).toString(16)}:${c.toString(16)}`;
}

/** The default subnet for allocation index k (0…255). */
export function defaultSubnet(k: number): string {
  return `10.213.${k}.0/24`;
}

export function validateCounts(count: number, hidden: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_VISIBLE) {
    throw new InputError(`lab host count must be a whole number from 1 to ${MAX_VISIBLE}, not ${count}`);
  }
  if (!Number.isInteger(hidden) || hidden < 0 || hidden > MAX_HIDDEN) {
    throw new InputError(`hidden host count must be a whole number from 0 to ${MAX_HIDDEN}, not ${hidden}`);
  }
}

export function hostName(lab: string, index: number, total: number): string {
  return `${lab}-${String(index).padStart(total > 99 ? 3 : 2, '0')}`;
}

/** Host 1 is the bastion; the rest alternate two web-servers to one db-server. */
export function defaultGroup(index: number): string {
  if (index === 1) return GROUP_BASTION;
  return (index - 2) % 3 < 2 ? GROUP_WEB : GROUP_DB;
}

export function planLab(o: PlanOptions): LabPlan {
  const hidden = o.hidden ?? 0;
  validateCounts(o.count, hidden);
  const { octets, prefix } = parseSubnet(o.subnet);
  const p6 = prefix6For(octets);
  const bridge = `flb${o.id}`;
  const hiddenBridge = hidden > 0 ? `flh${o.id}` : undefined;
  const total = o.count + hidden;
  const hosts: HostPlan[] = [];
  for (let i = 1; i <= o.count; i++) {
    const octet = FIRST_HOST + i - 1;
    const name = hostName(o.name, i, total);
    hosts.push({
      name,
      index: i,
      address: `${prefix}.${octet}`,
      prefix4: 24,
      address6: canonical6(`${p6}::${octet}`),
      prefix6: 64,
      netns: `fleetlab-${name}`,
      veth: `fl${o.id}v${i}`,
      bridge,
      hidden: false,
      groups: [o.group ?? defaultGroup(i)],
    });
  }
  const rpm = o.rpm ?? 0;
  if (!Number.isInteger(rpm) || rpm < 0 || rpm > o.count)
    throw new InputError(
      `RPM host count must be a whole number from 0 to the host count (${o.count}), not ${rpm}`,
    );
  for (const h of hosts.slice(o.count - rpm)) {
    h.flavor = 'rpm';
    h.groups.push(GROUP_RPM);
  }
  const bastion = hosts[0]!;
  if (hidden > 0) {
    bastion.second = {
      address: `${prefix}.${HIDDEN_BASE + 1}`,
      address6: canonical6(`${p6}::1:${HIDDEN_BASE + 1}`),
      veth: `fl${o.id}b`,
    };
  }
  for (let j = 1; j <= hidden; j++) {
    const i = o.count + j;
    const octet = HIDDEN_BASE + 1 + j;
    const name = hostName(o.name, i, total);
    hosts.push({
      name,
      index: i,
      address: `${prefix}.${octet}`,
      prefix4: 27,
      address6: canonical6(`${p6}::1:${octet}`),
      prefix6: 112,
      netns: `fleetlab-${name}`,
      veth: `fl${o.id}v${i}`,
      bridge: hiddenBridge!,
      hidden: true,
      groups: [GROUP_HIDDEN],
      proxyJump: bastion.name,
    });
  }
  return {
    name: o.name,
    id: o.id,
    subnet: `${prefix}.0/24`,
    subnet6: `${canonical6(`${p6}::`)}/64`,
    workstation: { v4: `${prefix}.1`, v6: canonical6(`${p6}::1`) },
    bridge,
    hiddenBridge,
    hosts,
  };
}

/** Does the IPv4 CIDR `a` overlap the CIDR `b`? Pure; IPv4 only. */
export function overlaps4(a: string, b: string): boolean {
  const parse = (c: string): [number, number] | undefined => {
    const [addr, len] = c.includes('/') ? c.split('/') : [c, '32'];
    const parts = (addr ?? '').split('.').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return undefined;
    const n = (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
    return [n, Number(len)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return false;
  const len = Math.min(pa[1], pb[1]);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return (pa[0] & mask) >>> 0 === (pb[0] & mask) >>> 0;
}
