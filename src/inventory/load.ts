/**
 * Where the inventory comes from: every <dir>/inventory/*.yaml (native format), or one path
 * given with `inventory`: a directory of native files, a native YAML file, an Ansible YAML
 * file (.yaml/.yml/.json with `all:` or group keys) or an Ansible INI file (any other name).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar } from 'yaml';
import { readAnsibleIni } from './ansible/ini.js';
import { hostFromVars, settingsFromVars } from './ansible/vars.js';
import { readAnsibleYaml } from './ansible/yaml.js';
import type { Problems } from './input/problems.js';
import { parseYaml, type YamlFile } from './input/source.js';
import type { Inventory, InventoryDefs } from './model.js';
import { NATIVE_KEYS } from './native/file.js';
import { readNativeDir, readNativeYaml } from './native/load.js';
import { resolveInventory } from './resolve.js';

export interface InventoryOptions {
  /** An inventory path to use instead of <dir>/inventory/ (e.g. an existing Ansible inventory). */
  inventory?: string;
}

export type InventoryFormat = 'native' | 'ansible-yaml' | 'ansible-ini';

export function readInventory(
  dir: string,
  opts: InventoryOptions,
  p: Problems,
): { inventory: Inventory; defs: InventoryDefs } {
  if (!opts.inventory) return native(readNativeDir(path.join(dir, 'inventory'), p), p);
  const file = opts.inventory;
  const kind = statKind(file);
  if (kind === 'missing') {
    p.add(
      undefined,
      undefined,
      `inventory "${file}" does not exist; give a file or directory path to --inventory`,
    );
    return native({ hosts: [], groups: new Map(), settings: { managementSources: [] } }, p);
  }
  if (kind === 'dir') return native(readNativeDir(file, p), p);
  const text = readFileSync(file, 'utf8');
  if (!/\.(ya?ml|json)$/.test(file)) return ansible(readAnsibleIni(file, text, p), file, p);
  const src = parseYaml(file, text, p);
  if (!src) return native({ hosts: [], groups: new Map(), settings: { managementSources: [] } }, p);
  return detectFormat(src) === 'native'
    ? native(readNativeYaml(src, p), p)
    : ansible(readAnsibleYaml(src, p), file, p);
}

/** Native when the top-level keys are all native ones (settings, defaults, groups, hosts) and there is no `all`. */
export function detectFormat(src: YamlFile): InventoryFormat {
  const root = src.doc.contents;
  if (!isMap(root)) return 'native';
  const keys = root.items.map((i) => (isScalar(i.key) ? String(i.key.value) : ''));
  const nativeKeys: readonly string[] = NATIVE_KEYS;
  return keys.every((k) => nativeKeys.includes(k)) ? 'native' : 'ansible-yaml';
}

function native(defs: InventoryDefs, p: Problems) {
  return { inventory: resolveInventory(defs, p), defs };
}

function ansible(defs: InventoryDefs, file: string, p: Problems) {
  const all = defs.groups.get('all');
  defs.settings = settingsFromVars(all?.vars ?? {}, all?.pos ?? { file, line: 1, col: 1 }, p);
  return { inventory: resolveInventory(defs, p, hostFromVars), defs };
}

function statKind(file: string): 'missing' | 'dir' | 'file' {
  try {
    return statSync(file).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}
