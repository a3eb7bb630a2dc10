/** Resolve `extends` (single or list) for every profile: unknown parents, cycles, lineage. */
import type { Problems } from '../inventory/input/problems.js';
import { didYouMean } from '../inventory/input/suggest.js';
import type { Located } from '../inventory/model.js';
import type { Profile } from '../model/profile.js';
import { finalize } from './finalize.js';
import type { ProfileLayer } from './layer.js';
import { emptyMerged, type Merged, mergeLayer } from './merge.js';

interface Resolved {
  merged: Merged;
  lineage: string[];
}

export function resolveProfiles(layers: Map<string, ProfileLayer>, p: Problems): Map<string, Profile> {
  const r = new Resolver(layers, p);
  const out = new Map<string, Profile>();
  for (const [name, layer] of layers) {
    const { merged, lineage } = r.resolve(name, []);
    out.set(name, finalize(layer, merged, lineage));
  }
  return out;
}

class Resolver {
  private readonly done = new Map<string, Resolved>();
  private readonly reportedCycles = new Set<string>();

  constructor(
    private readonly layers: Map<string, ProfileLayer>,
    private readonly p: Problems,
  ) {}

  /** `stack`: the profiles being resolved that led here (to find cycles). */
  resolve(name: string, stack: string[]): Resolved {
    const known = this.done.get(name);
    if (known) return known;
    const layer = this.layers.get(name)!;
    const parents = layer.extends.flatMap((ext) => this.parent(name, ext, stack) ?? []);
    const merged = [...parents.map((x) => x.merged), layer].reduce(mergeLayer, emptyMerged());
    const r = { merged, lineage: [...new Set([...parents.flatMap((x) => x.lineage), name])] };
    this.done.set(name, r);
    return r;
  }

  private parent(name: string, ext: Located<string>, stack: string[]): Resolved | undefined {
    if (!this.layers.has(ext.value)) {
      const others = [...this.layers.keys()].filter((n) => n !== name);
      const hint = didYouMean(ext.value, others);
      this.p.add(
        ext.pos,
        ext.path,
        `unknown profile "${ext.value}"${hint}; profiles are the files in profiles/`,
      );
      return undefined;
    }
    const path = [...stack, name];
    if (path.includes(ext.value)) {
      this.cycle([...path.slice(path.indexOf(ext.value)), ext.value], ext);
      return undefined;
    }
    return this.resolve(ext.value, path);
  }

  private cycle(cycle: string[], at: Located<string>): void {
    const key = [...new Set(cycle)].sort().join(',');
    if (this.reportedCycles.has(key)) return;
    this.reportedCycles.add(key);
    const msg = `profiles extend each other in a cycle: ${cycle.join(' -> ')}; remove one of these extends`;
    this.p.add(at.pos, at.path, msg);
  }
}
