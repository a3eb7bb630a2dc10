/** `settings:` (fleet-wide, at most once) and `defaults:` (for the hosts of the same file). */
import { type Cursor, entries } from '../input/cursor.js';
import { checkPath, resolveFrom } from '../input/paths.js';
import type { Problems } from '../input/problems.js';
import { readBool, readInt, readString } from '../input/read.js';
import { readCidrList } from '../input/sources.js';
import type { Settings } from '../model.js';

const SETTINGS_KEYS = ['known_hosts', 'management_sources', 'example'] as const;
const DEFAULT_KEYS = ['user', 'port', 'identity', 'sudo'] as const;

export interface HostDefaults {
  /** Unset: ssh_config's User for the host, else root. */
  user?: string;
  /** Unset: ssh_config's Port for the host, else 22. */
  port?: number;
  identity?: string;
  sudo: boolean;
}

export const BUILTIN_DEFAULTS: HostDefaults = { sudo: false };

export function readSettings(c: Cursor, p: Problems): Settings {
  const e = entries(c, p, SETTINGS_KEYS);
  const kh = e.get('known_hosts');
  const ms = e.get('management_sources');
  const example = e.get('example');
  const out: Settings = {
    knownHosts: kh ? readPath(kh, p) : undefined,
    managementSources: ms ? readCidrList(ms, p) : [],
  };
  if (example && readBool(example, p)) out.example = true;
  return out;
}

export function readDefaults(c: Cursor, p: Problems): HostDefaults {
  const e = entries(c, p, DEFAULT_KEYS);
  const d = { ...BUILTIN_DEFAULTS };
  const user = e.get('user');
  const port = e.get('port');
  const identity = e.get('identity');
  const sudo = e.get('sudo');
  if (user) d.user = readUser(user, p) ?? d.user;
  if (port) d.port = readPort(port, p) ?? d.port;
  if (identity) d.identity = readPath(identity, p);
  if (sudo) d.sudo = readBool(sudo, p) ?? d.sudo;
  return d;
}

export function readPath(c: Cursor, p: Problems): string | undefined {
  const v = readString(c, p, 'a file path');
  if (v === undefined) return undefined;
  const bad = checkPath(v);
  if (bad) p.add(c.pos, c.path, bad);
  return bad ? undefined : resolveFrom(c.src.file, v);
}

export function readPort(c: Cursor, p: Problems): number | undefined {
  return readInt(c, p, 1, 65535, 'port');
}

const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

export function readUser(c: Cursor, p: Problems): string | undefined {
  const v = readString(c, p, 'a user name');
  if (v === undefined || USER.test(v)) return v;
  p.add(c.pos, c.path, `user name "${v}" is not allowed: use letters, digits, "_", "." and "-"`);
  return undefined;
}
