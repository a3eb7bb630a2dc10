/** Read every inventory/*.yaml (and *.yml) of a fleet repository, sorted by file name. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problems } from '../input/problems.js';
import { parseYaml, type YamlFile } from '../input/source.js';
import type { InventoryDefs } from '../model.js';
import { type NativeFile, readNativeFile } from './file.js';
import { mergeNative } from './merge.js';

/** Files in inventory/ that are fleet's data, not inventory: the ban list (docs/bans.md). */
export const NOT_INVENTORY: ReadonlySet<string> = new Set(['bans.yaml']);

export function yamlFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.') && !NOT_INVENTORY.has(n))
    .sort()
    .map((n) => path.join(dir, n));
}

export function readNativeFiles(paths: string[], p: Problems): InventoryDefs {
  const files = paths.flatMap((f) => {
    const src = parseYaml(f, readFileSync(f, 'utf8'), p);
    return src ? [readNativeFile(src, p)] : [];
  });
  return mergeNative(files, p);
}

export function readNativeYaml(src: YamlFile | undefined, p: Problems): InventoryDefs {
  return mergeNative(src ? [readNativeFile(src, p) satisfies NativeFile] : [], p);
}
