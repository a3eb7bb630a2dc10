/** Resolve `extends` (single or list) for every profile: unknown parents, cycles, lineage. */
import type { Problems } from '../inventory/input/problems.js';
import { didYouMean } from '../inventory/input/suggest.js';
import type { Profile } from '../model/profile.js';
import { finalize } from './finalize.js';
import type { ProfileLayer } from './layer.js';
import { emptyMerged, type Merged, mergeLayer } from './merge.js';

interface Resolved {
  merged: Merged;
  lineage: string[];
}

export function resolveProfiles(layers: Map<string, ProfileLayer>, p: Problems): Map<string, Profile> {
  const done = new Map<string, Resolved | undefined>();
  const reported = new Set<string>();
  const resolve = (name: string, stack: string[]): Resolved | undefined => {
    if (done.has(name)) return done.get(name);
    const layer = layers.get(name)!;
    const parents = layer.extends.flatMap((ext) => {
      if (!layers.has(ext.value)) {
        const others = [...layers.keys()].filter((n) => n !== name);
        p.add(
          ext.pos,
          ext.path,
          `unknown profile "${ext.value}"${didYouMean(ext.value, others)}; profiles are the files in profiles/`,
        );
        return [];
      }
      if (ext.value === name || stack.includes(ext.value)) {
        const cycle = [...stack.slice(stack.indexOf(ext.value)), name, ext.value];
        const key = [...new Set(cycle)].sort().join(',');
        if (!reported.has(key))
          p.add(
            ext.pos,
            ext.path,
            `profiles extend each other in a cycle: ${cycle.join(' -> ')}; remove one of these extends`,
          );
        reported.add(key);
        return [];
      }
      return resolve(ext.value, [...stack, name]) ?? [];
    });
    const merged = [...parents.map((r) => r.merged), layer].reduce(mergeLayer, emptyMerged());
    const r = { merged, lineage: [...new Set([...parents.flatMap((x) => x.lineage), name])] };
    done.set(name, r);
    return r;
  };
  const out = new Map<string, Profile>();
  for (const [name, layer] of layers) {
    const r = resolve(name, []);
    if (r) out.set(name, finalize(layer, r.merged, r.lineage));
  }
  return out;
}
