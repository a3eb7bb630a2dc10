/**
 * Where the inventory is: `<dir>/inventory/` (or the path given with -i) as native files, one
 * file (native or Ansible YAML, Ansible INI), or an Ansible inventory directory. With no -i and no
 * inventory file of the user's own, the shipped example fleet (`inventory/example/`) is read.
 * No inventory at all is an InputError: nothing to validate, select or send to.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { ansibleDirFiles, hasVarsDirs, topLevelFiles } from './ansible/dir.js';
import { looksAnsibleYaml } from './detect.js';
import { Problems } from './input/problems.js';
import { parseYaml } from './input/source.js';
import { yamlFilesIn } from './native/load.js';

/** The shipped example fleet, read only while inventory/ holds no inventory of the user's own. */
export const EXAMPLE_DIR = 'example';

export type Where =
  | { kind: 'native'; files: string[]; fallback: boolean }
  | { kind: 'file'; file: string }
  | { kind: 'ansible-dir'; dir: string; files: string[] };

export function locateInventory(dir: string, given: string | undefined): Where {
  if (given === undefined) return locateDefault(path.join(dir, 'inventory'));
  const kind = statKind(given);
  if (kind === 'missing')
    throw new InputError(
      `inventory "${given}" does not exist`,
      'give -i an inventory file or directory (native YAML, or Ansible INI/YAML)',
    );
  if (kind === 'file') return { kind: 'file', file: given };
  return locateDir(given, undefined) ?? noInventory(given);
}

function locateDefault(inventoryDir: string): Where {
  const own = locateDir(inventoryDir, EXAMPLE_DIR);
  if (own) return own;
  const example = yamlFilesIn(path.join(inventoryDir, EXAMPLE_DIR));
  if (example.length) return { kind: 'native', files: example, fallback: true };
  return noInventory(inventoryDir);
}

/**
 * A directory of native files (its files all .yaml that are not surely Ansible YAML, no
 * group_vars/host_vars; subfolders are not read), else an Ansible inventory directory (read
 * recursively); undefined when it holds no inventory file.
 */
function locateDir(dir: string, skip: string | undefined): Where | undefined {
  const top = topLevelFiles(dir);
  const native = yamlFilesIn(dir);
  if (top.length && !hasVarsDirs(dir) && top.length === native.length && native.every(isNativeFile))
    return { kind: 'native', files: native, fallback: false };
  const files = ansibleDirFiles(dir, skip);
  return files.length ? { kind: 'ansible-dir', dir, files } : undefined;
}

function isNativeFile(file: string): boolean {
  const src = parseYaml(file, readFileSync(file, 'utf8'), new Problems());
  return !src || !looksAnsibleYaml(src);
}

function noInventory(where: string): never {
  throw new InputError(
    `no inventory: run \`fleet lab up\` or pass -i (${where}/ holds no inventory file)`,
    '`fleet lab up` starts real hosts on this machine and writes inventory/lab.yaml; -i PATH reads a native or Ansible inventory',
  );
}

function statKind(file: string): 'missing' | 'dir' | 'file' {
  try {
    return statSync(file).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}
