/** Ansible YAML inventories (all:, hosts:, children:, vars:), read as ansible's yaml plugin does. */
import { isScalar } from 'yaml';
import { type Cursor, entries, isEmpty, joinPath, namePos, plain, rootCursor } from '../input/cursor.js';
import type { Problems } from '../input/problems.js';
import type { YamlFile } from '../input/source.js';
import type { InventoryDefs } from '../model.js';
import { AnsibleBuilder } from './builder.js';
import { splitHostPattern } from './hostpattern.js';

const GROUP_KEYS = ['vars', 'children', 'hosts'];

/** Reads one file into `b` (a directory's files share one builder, as in Ansible). */
export function readAnsibleYaml(src: YamlFile, p: Problems, b = new AnsibleBuilder(p)): InventoryDefs {
  for (const [name, c] of entries(rootCursor(src), p)) readGroup(b, name, c, p);
  return b.defs();
}

function readGroup(b: AnsibleBuilder, name: string, c: Cursor, p: Problems): string | undefined {
  const g = b.group(name, namePos(c));
  if (!g) return undefined;
  for (const [key, v] of entries(c, p, GROUP_KEYS)) {
    if (isEmpty(v)) continue;
    if (key === 'vars') for (const [k, val] of entries(v, p)) b.setVar(g, k, plain(val), val);
    if (key === 'children') readChildren(b, name, v, p);
    if (key === 'hosts') readHosts(b, name, v, p);
  }
  return name;
}

function readChildren(b: AnsibleBuilder, parent: string, c: Cursor, p: Problems): void {
  for (const [child, v] of entries(asMapping(c), p)) {
    const name = readGroup(b, child, v, p);
    if (name) b.child(parent, name, namePos(v));
  }
}

function readHosts(b: AnsibleBuilder, group: string, c: Cursor, p: Problems): void {
  for (const [pattern, v] of entries(asMapping(c), p)) {
    const parsed = splitHostPattern(pattern);
    if (typeof parsed === 'string') {
      p.add(v.pos, v.path, parsed);
      continue;
    }
    for (const name of parsed.names) {
      const h = b.host(name, group, { pos: namePos(v).pos, path: joinPath(c.path, name) });
      if (!h) continue;
      if (parsed.port !== undefined) b.setVar(h, 'ansible_port', parsed.port, v);
      for (const [k, val] of entries(v, p)) b.setVar(h, k, plain(val), val);
    }
  }
}

/** Ansible accepts `hosts: web-01` (a single name) as `{web-01: null}`. */
function asMapping(c: Cursor): Cursor {
  if (!isScalar(c.node) || c.node.value === null) return c;
  const name = String(c.node.value);
  const doc = c.src.doc;
  return { ...c, node: doc.createNode({ [name]: null }) };
}
