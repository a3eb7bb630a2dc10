/** One host entry of the native format. */
import { checkHostAddress } from '../input/address.js';
import { type Cursor, entries, items, itemsOrOne, plain } from '../input/cursor.js';
import type { Problems } from '../input/problems.js';
import { readBool, readName, readString } from '../input/read.js';
import { readCidr } from '../input/sources.js';
import { ADDRESS_VARS } from '../management-path.js';
import type { HostDef, Located } from '../model.js';
import { type HostDefaults, readPath, readPort, readUser } from './settings.js';

const HOST_KEYS = [
  'address',
  'port',
  'user',
  'identity',
  'sudo',
  'groups',
  'tags',
  'vars',
  'profile',
  'proxy_jump',
];

export function readHost(name: string, c: Cursor, d: HostDefaults, p: Problems): HostDef {
  const e = entries(c, p, HOST_KEYS);
  const get = <T>(key: string, read: (c: Cursor) => T | undefined): T | undefined => {
    const v = e.get(key);
    return v ? read(v) : undefined;
  };
  return {
    name,
    address: get('address', (v) => readAddress(v, p)) ?? name,
    port: get('port', (v) => readPort(v, p)) ?? d.port,
    user: get('user', (v) => readUser(v, p)) ?? d.user,
    identity: get('identity', (v) => readPath(v, p)) ?? d.identity,
    sudo: get('sudo', (v) => readBool(v, p)) ?? d.sudo,
    groups: get('groups', (v) => readNames(v, p, 'group')) ?? [],
    tags: (get('tags', (v) => readNames(v, p, 'tag')) ?? []).map((t) => t.value),
    vars: get('vars', (v) => readVars(v, p)) ?? {},
    profile: get('profile', (v) => located(v, readName(v, p, 'profile'))),
    proxyJump: get('proxy_jump', (v) => readProxyJump(v, p)),
    pos: c.keyPos ?? c.pos,
    path: c.path,
  };
}

export function readNames(c: Cursor, p: Problems, what: string): Located<string>[] {
  return items(c, p).flatMap((item) => located(item, readName(item, p, what)) ?? []);
}

export function located<T>(c: Cursor, value: T | undefined): Located<T> | undefined {
  return value === undefined ? undefined : { value, pos: c.pos, path: c.path };
}

/** A host's or group's vars; those fleet reads as addresses are checked here, with line:column. */
export function readVars(c: Cursor, p: Problems): Record<string, unknown> {
  const e = entries(c, p);
  for (const key of ADDRESS_VARS) {
    const v = e.get(key);
    for (const item of v ? itemsOrOne(v, p) : []) readCidr(item, p);
  }
  const v = plain(c);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function readAddress(c: Cursor, p: Problems): string | undefined {
  const v = readString(c, p, 'an IP address or DNS name');
  const bad = v === undefined ? undefined : checkHostAddress(v);
  if (bad) p.add(c.pos, c.path, bad);
  return bad ? undefined : v;
}

const JUMP = /^(?:[A-Za-z0-9_.-]+@)?(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** An inventory host name or an ssh destination `[user@]host[:port]`, several joined by commas. */
export function readProxyJump(c: Cursor, p: Problems): string | undefined {
  const v = readString(c, p, 'a jump host');
  if (v === undefined || v.split(',').every((hop) => JUMP.test(hop))) return v;
  p.add(c.pos, c.path, `proxy_jump "${v}" is not a host name or [user@]host[:port] (several joined by ",")`);
  return undefined;
}
