import type { WaveLabel } from './events.js';

export interface Wave {
  label: WaveLabel;
  /** Indexes into the selection, in selection order. */
  indexes: number[];
}

/**
 * Split a selection of `total` hosts into waves: the canary hosts first (if any), then batches of
 * `batchSize` (or all the rest at once). A wave starts only after the previous one finished.
 */
export function planWaves(total: number, canary: number, batchSize?: number): Wave[] {
  const waves: Wave[] = [];
  const first = Math.min(Math.max(canary, 0), total);
  if (first > 0) waves.push({ label: 'canary', indexes: range(0, first) });
  const size = batchSize && batchSize > 0 ? batchSize : total;
  for (let start = first; start < total; start += size) {
    const label = batchSize ? 'batch' : 'all';
    waves.push({ label, indexes: range(start, Math.min(start + size, total)) });
  }
  return waves;
}

/** What a person calls wave `n`: `canary`, `batch 2/3` (batches counted apart), or `all`. */
export function waveName(waves: readonly Wave[], n: number): string {
  const label = waves[n]!.label;
  if (label !== 'batch') return label;
  const batches = waves.filter((w) => w.label === 'batch');
  return `batch ${batches.indexOf(waves[n]!) + 1}/${batches.length}`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
