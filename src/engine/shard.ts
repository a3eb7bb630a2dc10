/**
 * Splitting one selection over several processes (`--shard I/N`, `--canary-only`,
 * `--skip-canary`): which hosts a part runs, and what its report records so that
 * `fleet report merge` can join the parts into the report of one unsharded run.
 *
 * The split is rendezvous hashing (highest random weight): a host belongs to the shard whose
 * hash of (shard, host name) is highest. It depends on the host's name and N alone, so adding
 * or removing a host moves no other host, and going from N to N+1 shards moves about 1/(N+1).
 */
import { createHash } from 'node:crypto';
import type { RunPart, ShardRecord } from '../model/result.js';

/** `--shard I/N`: this process runs shard I (0-based, as Kubernetes' JOB_COMPLETION_INDEX) of N. */
export interface Shard {
  index: number;
  count: number;
}

export interface PartOptions {
  shard?: Shard;
  /** The canary size of the whole selection (`--canary N`). */
  canary: number;
  canaryOnly?: boolean;
  skipCanary?: boolean;
}

/** `"2/5"` → {index: 2, count: 5}; throws a message for anything else. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error('expected I/N, e.g. 0/4 (I counts from 0, as JOB_COMPLETION_INDEX does)');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error('N must be at least 1');
  if (index >= count) throw new Error(`I must be less than N (0 to ${count - 1})`);
  return { index, count };
}

/** The shard (0..count-1) a host name belongs to among `count` shards. */
export function shardOf(name: string, count: number): number {
  let best = 0;
  let bestScore = -1n;
  for (let i = 0; i < count; i++) {
    const score = createHash('sha256').update(`${i}\0${name}`).digest().readBigUInt64BE(0);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

/** A digest of the selection (its host names, order-independent): equal for every part of one run. */
export function selectionDigest(names: readonly string[]): string {
  const h = createHash('sha256');
  for (const n of [...names].sort()) h.update(`${n}\n`);
  return `sha256:${h.digest('hex').slice(0, 32)}`;
}

/** True when the options ask for a part of the selection rather than all of it. */
export function isPartial(o: PartOptions): boolean {
  return o.shard !== undefined || Boolean(o.canaryOnly) || Boolean(o.skipCanary);
}

/**
 * The hosts this process runs (selection order kept), the canary size it runs them with, and the
 * record its report carries. The canary hosts are the first `canary` of the whole selection;
 * `--skip-canary` drops them before the shard split, and the rest runs with no canary of its own.
 */
export function partOfSelection<H extends { name: string }>(
  hosts: readonly H[],
  o: PartOptions,
): { hosts: H[]; canary: number; record?: ShardRecord } {
  if (!isPartial(o)) return { hosts: [...hosts], canary: o.canary };
  const names = hosts.map((h) => h.name);
  const selection = { size: names.length, digest: selectionDigest(names), hosts: names };
  const part: RunPart = o.canaryOnly ? 'canary' : o.skipCanary ? 'rest' : 'all';
  let chosen = o.canaryOnly ? hosts.slice(0, o.canary) : o.skipCanary ? hosts.slice(o.canary) : [...hosts];
  if (o.shard) {
    const { index, count } = o.shard;
    chosen = chosen.filter((h) => shardOf(h.name, count) === index);
  }
  const record: ShardRecord = {
    ...(o.shard && { index: o.shard.index, count: o.shard.count }),
    part,
    selection,
  };
  return { hosts: chosen, canary: o.skipCanary ? 0 : o.canary, record };
}
