import { describe, expect, it } from 'vitest';
import { readFanoutOptions } from '../../src/cli/fanout-options.js';
import { parseShard, partOfSelection, shardOf } from '../../src/engine/index.js';
import { InputError } from '../../src/errors.js';

const names = (n: number, prefix = 'web') =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);
const hosts = (list: string[]) => list.map((name) => ({ name }));

describe('--shard I/N', () => {
  it('parses I/N with I from 0 and refuses the rest with a reason', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    expect(() => parseShard('5/5')).toThrow(/less than N \(0 to 4\)/);
    expect(() => parseShard('1/0')).toThrow(/at least 1/);
    expect(() => parseShard('a/b')).toThrow(/expected I\/N/);
    expect(() => parseShard('-1/3')).toThrow(/expected I\/N/);
  });

  it('the shards of a selection together hold every host exactly once, in selection order', () => {
    const all = hosts(names(1000));
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      const part = partOfSelection(all, { shard: { index: i, count: 7 }, canary: 0 }).hosts.map(
        (h) => h.name,
      );
      expect(part).toEqual([...part].sort());
      expect(part.length).toBeGreaterThan(1000 / 7 / 2);
      seen.push(...part);
    }
    expect(seen.sort()).toEqual(names(1000));
  });

  it('is stable: adding a host moves no other host; one more shard moves about 1/(N+1)', () => {
    const list = names(2000);
    const before = new Map(list.map((n) => [n, shardOf(n, 8)]));
    const grown = hosts(['web-0000a', ...list]);
    for (let index = 0; index < 8; index++)
      for (const h of partOfSelection(grown, { shard: { index, count: 8 }, canary: 0 }).hosts)
        if (h.name !== 'web-0000a') expect(before.get(h.name)).toBe(index);
    const moved = list.filter((n) => shardOf(n, 9) !== before.get(n)).length;
    expect(moved / list.length).toBeGreaterThan(0.06);
    expect(moved / list.length).toBeLessThan(0.17);
  });

  it('--canary-only runs the first N of the selection; --skip-canary the rest, sharded, with no canary', () => {
    const all = hosts(names(20));
    const canary = partOfSelection(all, { canary: 2, canaryOnly: true });
    expect(canary.hosts.map((h) => h.name)).toEqual(['web-0001', 'web-0002']);
    expect(canary.record).toMatchObject({ part: 'canary', selection: { size: 20 } });
    const rest = [0, 1, 2].flatMap(
      (index) => partOfSelection(all, { canary: 2, skipCanary: true, shard: { index, count: 3 } }).hosts,
    );
    expect(rest.map((h) => h.name).sort()).toEqual(names(20).slice(2));
    const one = partOfSelection(all, { canary: 2, skipCanary: true, shard: { index: 0, count: 3 } });
    expect(one.canary).toBe(0);
    expect(one.record).toMatchObject({ index: 0, count: 3, part: 'rest' });
    expect(one.record!.selection.digest).toBe(canary.record!.selection.digest);
  });

  it('an unsplit run records nothing and keeps its canary', () => {
    expect(partOfSelection(hosts(names(3)), { canary: 1 })).toEqual({ hosts: hosts(names(3)), canary: 1 });
  });

  it('flag combinations that make no sense are input errors', () => {
    const bad = (raw: Record<string, unknown>) => {
      try {
        readFanoutOptions({ concurrency: '5', canary: '0', ...raw });
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ shard: '3/3' })).toMatch(/--shard "3\/3": I must be less than N/);
    expect(bad({ skipCanary: true })).toMatch(/--skip-canary needs --canary N/);
    expect(bad({ canary: '1', canaryOnly: true, skipCanary: true })).toMatch(/exclude each other/);
    expect(bad({ canary: '1', canaryOnly: true, shard: '0/2' })).toMatch(/drop --shard/);
    expect(
      readFanoutOptions({ concurrency: '5', canary: '1', shard: '1/2', skipCanary: true }),
    ).toMatchObject({
      shard: { index: 1, count: 2 },
      skipCanary: true,
    });
  });
});
