/**
 * group_vars/ and host_vars/ beside an Ansible inventory, read as ansible's host_group_vars
 * plugin does: for each group and host of the inventory, the first of `NAME`, `NAME.yml`,
 * `NAME.yaml`, `NAME.json` that exists; a directory is read whole (sorted, recursively, files
 * with no extension or one of those, hidden and `~` files skipped). Later files win, key by key.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap } from 'yaml';
import { type Cursor, entries, isEmpty, namePos, plain, rootCursor } from '../input/cursor.js';
import type { Problems } from '../input/problems.js';
import { parseYaml } from '../input/source.js';
import type { InventoryDefs } from '../model.js';
import type { AnsibleBuilder } from './builder.js';
import { list, statOf } from './dir.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/** Adds every group_vars/host_vars file under `basedir` to the builder's groups and hosts. */
export function readVarsFiles(basedir: string, b: AnsibleBuilder, p: Problems): string[] {
  const read: string[] = [];
  const defs: InventoryDefs = b.defs();
  for (const g of defs.groups.values()) {
    for (const file of findVarsFiles(path.join(basedir, 'group_vars'), g.name)) {
      read.push(file);
      for (const [k, c] of varsOf(file, p)) b.setVar(g, k, plain(c), namePos(c), 'file');
    }
  }
  for (const h of defs.hosts) {
    for (const file of findVarsFiles(path.join(basedir, 'host_vars'), h.name)) {
      read.push(file);
      for (const [k, c] of varsOf(file, p)) b.setVar(h, k, plain(c), namePos(c), 'file');
    }
  }
  return read;
}

export function findVarsFiles(dir: string, name: string): string[] {
  if (!statOf(dir)?.isDirectory()) return [];
  for (const ext of EXTENSIONS) {
    const full = path.join(dir, name + ext);
    const st = statOf(full);
    if (!st) continue;
    return st.isDirectory() ? dirVarsFiles(full) : [full];
  }
  return [];
}

function dirVarsFiles(dir: string): string[] {
  return list(dir).flatMap((n) => {
    if (n.startsWith('.') || n.endsWith('~')) return [];
    const full = path.join(dir, n);
    const ext = path.extname(n);
    const st = statOf(full);
    if (st?.isDirectory() && !ext) return dirVarsFiles(full);
    return st?.isFile() && EXTENSIONS.includes(ext) ? [full] : [];
  });
}

function varsOf(file: string, p: Problems): Map<string, Cursor> {
  const text = readFileSync(file, 'utf8');
  if (text.startsWith('$ANSIBLE_VAULT')) {
    p.add(
      { file, line: 1, col: 1 },
      undefined,
      "vault-encrypted vars file: fleet cannot decrypt it; keep fleet's variables (ansible_host, ansible_user, ...) in a plain file",
    );
    return new Map();
  }
  const src = parseYaml(file, text, p);
  if (!src) return new Map();
  const root = rootCursor(src);
  if (isEmpty(root)) return new Map();
  if (!isMap(root.node)) {
    p.add(root.pos, undefined, 'a vars file must be a mapping (name: value lines)');
    return new Map();
  }
  return entries(root, p);
}
