/**
 * Reading the inventory that locate.ts found: native files (merged), one native or Ansible file,
 * or an Ansible directory (every file into one set of groups and hosts, then group_vars/ and
 * host_vars/ beside it, as Ansible reads them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AnsibleBuilder } from './ansible/builder.js';
import { readAnsibleIni } from './ansible/ini.js';
import { hostFromVars, settingsFromVars } from './ansible/vars.js';
import { readVarsFiles } from './ansible/vars-files.js';
import { readAnsibleYaml } from './ansible/yaml.js';
import { detectFormat } from './detect.js';
import type { Problems } from './input/problems.js';
import { parseYaml } from './input/source.js';
import { locateInventory } from './locate.js';
import type { ConnectionDefaults, Inventory, InventoryDefs } from './model.js';
import { readNativeFiles, readNativeYaml } from './native/load.js';
import { resolveInventory } from './resolve.js';

export { detectFormat, type InventoryFormat } from './detect.js';

export interface InventoryOptions {
  /** An inventory path to use instead of <dir>/inventory/ (e.g. an existing Ansible inventory). */
  inventory?: string;
  /** ssh_config's User and Port for hosts the inventory is silent about (default: root, 22). */
  connection?: ConnectionDefaults;
}

interface Read {
  inventory: Inventory;
  defs: InventoryDefs;
}

/** Throws InputError when there is no inventory at all; every other problem goes to `p`. */
export function readInventory(dir: string, opts: InventoryOptions, p: Problems): Read {
  const where = locateInventory(dir, opts.inventory);
  if (where.kind === 'native')
    return native(readNativeFiles(where.files, p), where.files, opts, p, where.fallback);
  if (where.kind === 'file') return oneFile(where.file, opts, p);
  const b = new AnsibleBuilder(p);
  for (const file of where.files) readAnsibleFile(file, b, p);
  return ansible(b, where.dir, where.files, opts, p);
}

function oneFile(file: string, opts: InventoryOptions, p: Problems): Read {
  if (isYamlName(file)) {
    const src = parseYaml(file, readFileSync(file, 'utf8'), p);
    if (!src || detectFormat(src) === 'native') return native(readNativeYaml(src, p), [file], opts, p);
  }
  const b = new AnsibleBuilder(p);
  readAnsibleFile(file, b, p);
  return ansible(b, path.dirname(file), [file], opts, p);
}

/** One Ansible file: INI unless its name ends in .yaml, .yml or .json. */
function readAnsibleFile(file: string, b: AnsibleBuilder, p: Problems): void {
  const text = readFileSync(file, 'utf8');
  if (!isYamlName(file)) {
    readAnsibleIni(file, text, p, b);
    return;
  }
  const src = parseYaml(file, text, p);
  if (!src) return;
  if (detectFormat(src) === 'ansible-yaml') readAnsibleYaml(src, p, b);
  else
    p.add(
      { file, line: 1, col: 1 },
      undefined,
      'a fleet native inventory file in an Ansible inventory directory; keep native files and Ansible files in separate directories',
    );
}

function isYamlName(file: string): boolean {
  return /\.(ya?ml|json)$/.test(file);
}

function native(
  defs: InventoryDefs,
  files: string[],
  opts: InventoryOptions,
  p: Problems,
  fallback = false,
): Read {
  const settingsFile = defs.settingsFile ?? files[0];
  const source = {
    kind: 'native' as const,
    files,
    fallback,
    settingsFile: defs.settingsFile,
    managementHint: `add management_sources under settings: in ${settingsFile}`,
  };
  return { inventory: resolveInventory(defs, source, p, { connection: opts.connection }), defs };
}

function ansible(
  b: AnsibleBuilder,
  basedir: string,
  files: string[],
  opts: InventoryOptions,
  p: Problems,
): Read {
  const varsFiles = readVarsFiles(basedir, b, p);
  const defs = b.defs();
  const all = defs.groups.get('all');
  const allVars = { ...all?.vars, ...all?.fileVars };
  defs.settings = settingsFromVars(allVars, all?.pos ?? { file: files[0] ?? basedir, line: 1, col: 1 }, p);
  const source = {
    kind: 'ansible' as const,
    files: [...files, ...varsFiles],
    fallback: false,
    settingsFile: all?.pos?.file,
    managementHint: `set fleet_management_sources in the vars of group all (e.g. ${path.join(basedir, 'group_vars', 'all.yml')})`,
  };
  const resolved = resolveInventory(defs, source, p, { fromVars: hostFromVars, connection: opts.connection });
  return { inventory: resolved, defs };
}
