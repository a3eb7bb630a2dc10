/**
 * Load every profiles/*.yaml of a fleet repository: profiles/sets.yaml holds the named address
 * sets; every other file is one profile named after the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Problems } from '../inventory/input/problems.js';
import { checkName } from '../inventory/input/read.js';
import { parseYaml } from '../inventory/input/source.js';
import { yamlFilesIn } from '../inventory/native/load.js';
import type { Profile, Source } from '../model/profile.js';
import { readProfileFile } from './file.js';
import type { ProfileLayer } from './layer.js';
import { resolveProfiles } from './resolve.js';
import { checkAllSets, readSets, type SetContext } from './sets.js';

export const SETS_FILE = 'sets';

export interface ProfileOptions {
  /** The inventory's management sources, for the built-in `management` set. */
  managementSources?: Source[];
  /** What to edit to add management sources (names the inventory file). */
  managementHint?: string;
}

/** Every profile, merged and validated; problems go to `p`. */
export function readProfiles(dir: string, opts: ProfileOptions, p: Problems): Map<string, Profile> {
  const files = yamlFilesIn(path.join(dir, 'profiles'));
  const setsFile = files.find((f) => baseName(f) === SETS_FILE);
  const setsSrc = setsFile ? parseYaml(setsFile, readFileSync(setsFile, 'utf8'), p) : undefined;
  const ctx: SetContext = {
    sets: readSets(setsSrc, p),
    management: opts.managementSources,
    managementHint: opts.managementHint,
  };
  checkAllSets(ctx, p);
  const layers = new Map<string, ProfileLayer>();
  for (const file of files.filter((f) => f !== setsFile)) {
    const name = baseName(file);
    const pos = { file, line: 1, col: 1 };
    if (checkName(name, { pos, path: '' }, p, 'profile (file)') === undefined) continue;
    if (layers.has(name)) {
      p.add(
        pos,
        undefined,
        `profile "${name}" is also defined by ${layers.get(name)!.file}; keep one file per profile`,
      );
      continue;
    }
    const src = parseYaml(file, readFileSync(file, 'utf8'), p);
    if (src) layers.set(name, readProfileFile(name, src, ctx, p));
  }
  return resolveProfiles(layers, p);
}

/** Loads profiles on their own (without an inventory); throws InputError listing every problem. */
export function loadProfiles(dir: string, opts: ProfileOptions = {}): Map<string, Profile> {
  const p = new Problems();
  const profiles = readProfiles(dir, opts, p);
  p.throwIfAny();
  return profiles;
}

/** The profiles that have a file (loaded or not: one that does not parse is still there). */
export function profileFileNames(dir: string): Set<string> {
  return new Set(yamlFilesIn(path.join(dir, 'profiles')).map(baseName));
}

function baseName(file: string): string {
  return path.basename(file).replace(/\.ya?ml$/, '');
}
