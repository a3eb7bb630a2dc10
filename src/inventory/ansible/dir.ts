/**
 * Ansible inventory directories, listed as ansible's InventoryManager does: every entry in
 * sorted order, subdirectories recursively, skipping hidden names, group_vars, host_vars,
 * vars_plugins and the extensions of INVENTORY_IGNORE_EXTS (ansible-core's defaults, which
 * include `.ini`: in a directory Ansible does not read hosts.ini).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { NOT_INVENTORY } from '../native/load.js';

const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTS = [
  '.pyc',
  '.pyo',
  '.swp',
  '.bak',
  '~',
  '.rpm',
  '.md',
  '.txt',
  '.rst',
  '.orig',
  '.ini',
  '.cfg',
  '.retry',
];

export function ignoredEntry(name: string): boolean {
  return IGNORED_NAMES.test(name) || IGNORED_EXTS.some((ext) => name.endsWith(ext));
}

/** Every inventory file under `dir`, in Ansible's order; `skip` is a top-level entry to leave out. */
export function ansibleDirFiles(dir: string, skip?: string): string[] {
  return list(dir)
    .filter((n) => n !== skip && !NOT_INVENTORY.has(n))
    .flatMap((n) => walk(path.join(dir, n)));
}

function walk(p: string): string[] {
  if (ignoredEntry(path.basename(p))) return [];
  const st = statOf(p);
  if (st?.isDirectory()) return list(p).flatMap((n) => walk(path.join(p, n)));
  return st?.isFile() ? [p] : [];
}

/** The inventory files directly in `dir` (not in subfolders), with the same rules. */
export function topLevelFiles(dir: string): string[] {
  return list(dir)
    .filter((n) => !ignoredEntry(n) && !NOT_INVENTORY.has(n))
    .map((n) => path.join(dir, n))
    .filter((p) => statOf(p)?.isFile());
}

/** Does `dir` hold group_vars/ or host_vars/ (Ansible reads them beside the inventory)? */
export function hasVarsDirs(dir: string): boolean {
  return ['group_vars', 'host_vars'].some((d) => statOf(path.join(dir, d))?.isDirectory());
}

export function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function statOf(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
