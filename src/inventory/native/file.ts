/** One native inventory file: settings, defaults, groups, hosts. */
import { type Cursor, entries, namePos, rootCursor } from '../input/cursor.js';
import type { Problems } from '../input/problems.js';
import { checkName, readName } from '../input/read.js';
import type { YamlFile } from '../input/source.js';
import type { GroupDef, HostDef, Settings } from '../model.js';
import { located, readHost, readNames, readVars } from './host.js';
import { BUILTIN_DEFAULTS, readDefaults, readSettings } from './settings.js';

export const NATIVE_KEYS = ['settings', 'defaults', 'groups', 'hosts'] as const;
const GROUP_KEYS = ['children', 'profile', 'vars'];

export interface NativeFile {
  settings?: { value: Settings; cursor: Cursor };
  groups: GroupDef[];
  hosts: HostDef[];
}

export function readNativeFile(src: YamlFile, p: Problems): NativeFile {
  const top = entries(rootCursor(src), p, NATIVE_KEYS);
  const settings = top.get('settings');
  const defaults = top.get('defaults');
  const d = defaults ? readDefaults(defaults, p) : BUILTIN_DEFAULTS;
  return {
    settings: settings ? { value: readSettings(settings, p), cursor: settings } : undefined,
    groups: readKeyed(top.get('groups'), p, 'group', readGroup),
    hosts: readKeyed(top.get('hosts'), p, 'host', (name, c) => readHost(name, c, d, p)),
  };
}

function readKeyed<T>(
  c: Cursor | undefined,
  p: Problems,
  what: string,
  read: (name: string, c: Cursor, p: Problems) => T,
): T[] {
  if (!c) return [];
  const out: T[] = [];
  for (const [name, v] of entries(c, p)) {
    if (checkName(name, namePos(v), p, what) !== undefined) out.push(read(name, v, p));
  }
  return out;
}

function readGroup(name: string, c: Cursor, p: Problems): GroupDef {
  const e = entries(c, p, GROUP_KEYS);
  const children = e.get('children');
  const profile = e.get('profile');
  const vars = e.get('vars');
  return {
    name,
    children: children ? readNames(children, p, 'group') : [],
    hosts: [],
    profile: profile ? located(profile, readName(profile, p, 'profile')) : undefined,
    vars: vars ? readVars(vars, p) : {},
    pos: c.keyPos ?? c.pos,
  };
}
