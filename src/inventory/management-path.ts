/**
 * The management path as each host sees it. A host fleet reaches directly sees fleet's SSH come
 * from settings.management_sources. A host behind a ProxyJump sees it come from the jump host
 * (the last hop): from that host's inventory address and the addresses it uses toward the hosts
 * behind it (its `vars.inner_addresses`), never from the workstation. Either may add its own
 * `vars.management_sources` (a NAT in between; a jump host outside the inventory).
 *
 * What the compiler does with it: the lockout guard simulates SSH from the host's path sources;
 * the profiles' `management` set holds, for this host, settings.management_sources and its path
 * sources; and management sources skip the `recent` SSH rate limit (fleet's own connections).
 */
import { InputError } from '../errors.js';
import type { Host } from '../model/host.js';
import type { Profile, Source } from '../model/profile.js';
import { parseSource } from './input/address.js';
import type { Inventory } from './model.js';

/** Vars read as lists of addresses or CIDRs (checked with line:column when the inventory loads). */
export const ADDRESS_VARS = ['management_sources', 'inner_addresses'] as const;

export interface ManagementPath {
  /** Where the host sees fleet's SSH come from (what the lockout guard simulates). */
  sources: Source[];
  /** The `management` set for this host: settings.management_sources and `sources`. */
  set: Source[];
}

export function managementPath(inv: Pick<Inventory, 'hosts' | 'settings'>, host: Host): ManagementPath {
  const own = addressVar(host, 'management_sources');
  const settings = inv.settings.managementSources;
  const sources = host.proxyJump ? union(jumpSources(inv, host), own) : union(settings, own);
  if (sources.length === 0 && host.proxyJump) throw unknownPath(host);
  return { sources, set: union(settings, sources) };
}

/** The jump host's side of the last hop: its address (when an IP) and its inner addresses. */
function jumpSources(inv: Pick<Inventory, 'hosts'>, host: Host): Source[] {
  const hop = lastHop(host.proxyJump!);
  const jump = inv.hosts.find((h) => h.name === hop);
  const address = parseSource(jump?.address ?? hop);
  const outer = address.ok ? [address.source] : [];
  return jump ? union(outer, addressVar(jump, 'inner_addresses')) : outer;
}

/** `user@bastion:2222,user@inner` → `inner`; `[2001:db8::1]:22` → `2001:db8::1`. */
export function lastHop(proxyJump: string): string {
  const hop = proxyJump.split(',').at(-1)!.trim();
  const host = hop.slice(hop.lastIndexOf('@') + 1);
  const bracketed = /^\[([^\]]+)\]/.exec(host);
  return bracketed ? bracketed[1]! : host.replace(/:\d+$/, '');
}

/** A list (or one) of addresses from the host's merged vars; a bad one is an input error. */
export function addressVar(host: Host, key: (typeof ADDRESS_VARS)[number]): Source[] {
  const v = host.vars[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((item) => {
    const r = parseSource(String(item));
    if (r.ok) return r.source;
    throw new InputError(`${where(host)}host "${host.name}" vars.${key}: ${r.message}`);
  });
}

/**
 * The profile as this host gets it: every source list that includes the `management` set also
 * holds the host's extra management sources (those not already listed), under the same label.
 */
export function withManagement(profile: Profile, extra: readonly Source[]): Profile {
  if (extra.length === 0) return profile;
  const widen = (list: Source[]): Source[] => {
    const m = list.find((s) => s.management);
    if (!m) return list;
    const have = new Set(list.map((s) => s.cidr));
    const add = extra
      .filter((s) => !have.has(s.cidr))
      .map((s): Source => ({ ...s, set: m.set, management: true }));
    return add.length === 0 ? list : [...list, ...add];
  };
  return {
    ...profile,
    ssh: { ...profile.ssh, sources: widen(profile.ssh.sources) },
    services: profile.services.map((s) => ({ ...s, sources: widen(s.sources) })),
  };
}

function union(a: readonly Source[], b: readonly Source[]): Source[] {
  const seen = new Set(a.map((s) => s.cidr));
  return [...a, ...b.filter((s) => !seen.has(s.cidr) && seen.add(s.cidr))];
}

function unknownPath(host: Host): InputError {
  return new InputError(
    `${where(host)}host "${host.name}" is reached through proxy_jump "${host.proxyJump}", whose address fleet does not know, so the lockout guard cannot tell where the host sees SSH come from`,
    'set vars.management_sources on the host or its group (the address the jump host connects from), or give the jump host an IP address and vars.inner_addresses in the inventory',
  );
}

function where(host: Host): string {
  const d = host.declaredAt;
  return d ? `${d.file}:${d.line}:${d.col} ` : '';
}
