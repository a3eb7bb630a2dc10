/**
 * Connection fields and fleet settings from Ansible variables (after group and host vars are
 * merged): ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file, ansible_become,
 * fleet_proxy_jump, fleet_tags; fleet_management_sources and fleet_known_hosts from `all` vars.
 */

import type { SourcePos } from '../../errors.js';
import { checkHostAddress, parseSource } from '../input/address.js';
import type { Problems } from '../input/problems.js';
import type { HostDef, OpenHost, Settings } from '../model.js';

export function hostFromVars(host: OpenHost, def: HostDef, p: Problems): OpenHost {
  const v = host.vars;
  const bad = (key: string, why: string) =>
    p.add(def.pos, `${def.path}.${key}`, `${key} of host "${def.name}" ${why}`);
  const out = { ...host };
  const address = first(v, 'ansible_host', 'ansible_ssh_host');
  if (address !== undefined) {
    const err = checkHostAddress(String(address));
    if (err) bad('ansible_host', err);
    else out.address = String(address);
  }
  const rawPort = first(v, 'ansible_port', 'ansible_ssh_port');
  const port = Number(rawPort);
  if (rawPort === undefined) out.port = undefined;
  else if (Number.isInteger(port) && port >= 1 && port <= 65535) out.port = port;
  else bad('ansible_port', 'must be a port from 1 to 65535');
  const user = first(v, 'ansible_user', 'ansible_ssh_user');
  out.user = user === undefined ? undefined : String(user);
  const identity = first(v, 'ansible_ssh_private_key_file', 'ansible_private_key_file');
  if (identity !== undefined) out.identity = String(identity);
  out.sudo = truthy(first(v, 'ansible_become'));
  if (v.fleet_proxy_jump !== undefined) out.proxyJump = String(v.fleet_proxy_jump);
  if (Array.isArray(v.fleet_tags)) out.tags = v.fleet_tags.map(String);
  return out;
}

function first(vars: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (vars[k] !== undefined && vars[k] !== null) return vars[k];
  return undefined;
}

/** Ansible's boolean(): true, yes, on, 1 (any case). */
function truthy(v: unknown): boolean {
  return (
    v === true ||
    v === 1 ||
    (typeof v === 'string' && ['true', 'yes', 'on', '1', 'y'].includes(v.toLowerCase()))
  );
}

export function settingsFromVars(vars: Record<string, unknown>, pos: SourcePos, p: Problems): Settings {
  const raw = vars.fleet_management_sources;
  const list =
    typeof raw === 'string' ? raw.split(/[\s,]+/).filter(Boolean) : Array.isArray(raw) ? raw.map(String) : [];
  const managementSources = list.flatMap((text) => {
    const r = parseSource(text);
    if (!r.ok) p.add(pos, 'all.vars.fleet_management_sources', r.message);
    return r.ok ? [r.source] : [];
  });
  const kh = vars.fleet_known_hosts;
  return { managementSources, knownHosts: typeof kh === 'string' ? kh : undefined };
}
