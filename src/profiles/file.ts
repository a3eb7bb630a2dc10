/** One profiles/<name>.yaml into a ProfileLayer (what it says itself, before `extends`). */
import { type Cursor, entries, itemsOrOne, rootCursor } from '../inventory/input/cursor.js';
import type { Problems } from '../inventory/input/problems.js';
import { readName, readString } from '../inventory/input/read.js';
import type { YamlFile } from '../inventory/input/source.js';
import { located } from '../inventory/native/host.js';
import { emptyLayer, type ProfileLayer } from './layer.js';
import { readRaw } from './raw.js';
import { readIcmp, readLog, readPolicies, readPreserve, readServices, readSsh } from './sections.js';
import type { SetContext } from './sets.js';
import { readTakeover } from './takeover.js';

export const PROFILE_KEYS = [
  'description',
  'extends',
  'policies',
  'ssh',
  'services',
  'icmp',
  'log',
  'preserve',
  'takeover',
  'raw',
] as const;

export function readProfileFile(name: string, src: YamlFile, ctx: SetContext, p: Problems): ProfileLayer {
  const root = rootCursor(src);
  const layer = emptyLayer(name, src.file, root.pos);
  const e = entries(root, p, PROFILE_KEYS);
  const get = (key: string, read: (c: Cursor) => void) => {
    const c = e.get(key);
    if (c) read(c);
  };
  get('description', (c) => (layer.description = readString(c, p, 'a description')));
  get(
    'extends',
    (c) => (layer.extends = itemsOrOne(c, p).flatMap((i) => located(i, readName(i, p, 'profile')) ?? [])),
  );
  get('policies', (c) => (layer.policies = readPolicies(c, p)));
  get('ssh', (c) => (layer.ssh = readSsh(c, ctx, p)));
  get('services', (c) => (layer.services = readServices(c, ctx, p)));
  get('icmp', (c) => (layer.icmp = readIcmp(c, p)));
  get('log', (c) => (layer.log = readLog(c, p)));
  get('preserve', (c) => (layer.preserve = readPreserve(c, p)));
  get('takeover', (c) => (layer.takeover = readTakeover(c, p)));
  get('raw', (c) => (layer.raw = readRaw(c, p)));
  return layer;
}
