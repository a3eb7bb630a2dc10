/** The whole fleet: inventory + profiles, cross-checked (every named profile exists). */
import { InputError } from '../errors.js';
import type { Host } from '../model/host.js';
import type { Profile } from '../model/profile.js';
import { profileFileNames, readProfiles } from '../profiles/load.js';
import { Problems } from './input/problems.js';
import { didYouMean } from './input/suggest.js';
import { type InventoryOptions, readInventory } from './load.js';
import type { Fleet, Inventory, InventoryDefs, Located } from './model.js';

/** Loads `<dir>/inventory` (or `opts.inventory`) and `<dir>/profiles`; throws InputError with every problem. */
export function loadFleet(dir: string, opts: InventoryOptions = {}): Fleet {
  const p = new Problems();
  const { inventory, defs } = readInventory(dir, opts, p);
  const profiles = readProfiles(
    dir,
    {
      managementSources: inventory.settings.managementSources,
      managementHint: inventory.source.managementHint,
    },
    p,
  );
  checkProfileNames(defs, profiles, profileFileNames(dir), p);
  p.throwIfAny();
  return { ...inventory, profiles };
}

/** Loads only the inventory; throws InputError with every problem. */
export function loadInventory(dir: string, opts: InventoryOptions = {}): Inventory {
  const p = new Problems();
  const { inventory } = readInventory(dir, opts, p);
  p.throwIfAny();
  return inventory;
}

/** The profile to compile for `host`; InputError when it has none or it does not exist. */
export function profileFor(fleet: Pick<Fleet, 'profiles'>, host: Host): Profile {
  const where = host.declaredAt
    ? `${host.declaredAt.file}:${host.declaredAt.line}:${host.declaredAt.col} `
    : '';
  if (!host.profile) {
    throw new InputError(
      `${where}host "${host.name}" has no profile: set profile: on the host or on one of its groups`,
    );
  }
  const profile = fleet.profiles.get(host.profile);
  if (profile) return profile;
  throw new InputError(
    `${where}host "${host.name}" names unknown profile "${host.profile}"${didYouMean(host.profile, fleet.profiles.keys())}`,
  );
}

/**
 * Every profile the inventory names exists. One whose file is there but did not load (a YAML
 * syntax error) is not called unknown: its own problems, with file:line:col, say why.
 */
function checkProfileNames(
  defs: InventoryDefs,
  profiles: Map<string, Profile>,
  files: Set<string>,
  p: Problems,
): void {
  const named: Located<string>[] = [
    ...[...defs.groups.values()].flatMap((g) => g.profile ?? []),
    ...defs.hosts.flatMap((h) => h.profile ?? []),
  ];
  for (const ref of named) {
    if (profiles.has(ref.value) || (files.has(ref.value) && !p.empty)) continue;
    const hint = profiles.size ? didYouMean(ref.value, profiles.keys()) : ' (profiles/ has no profiles)';
    p.add(
      ref.pos,
      ref.path,
      `unknown profile "${ref.value}"${hint}; add profiles/${ref.value}.yaml or fix the name`,
    );
  }
}
