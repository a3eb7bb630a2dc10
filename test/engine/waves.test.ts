import { describe, expect, it } from 'vitest';
import { InflightBoard } from '../../src/cli/output/inflight-board.js';
import { planWaves, resolveAmount } from '../../src/engine/index.js';
import { waveName } from '../../src/engine/waves.js';

describe('planWaves', () => {
  it('canary then fixed batches', () => {
    expect(planWaves(6, 1, 2).map((w) => [w.label, w.indexes])).toEqual([
      ['canary', [0]],
      ['batch', [1, 2]],
      ['batch', [3, 4]],
      ['batch', [5]],
    ]);
  });
  it('one wave when neither canary nor batch', () => {
    expect(planWaves(3, 0)).toEqual([{ label: 'all', indexes: [0, 1, 2] }]);
  });
  it('a canary larger than the selection is the whole selection', () => {
    expect(planWaves(2, 5)).toEqual([{ label: 'canary', indexes: [0, 1] }]);
  });
});

describe('resolveAmount', () => {
  it.each([
    [{ count: 3 }, 100, 3],
    [{ percent: 10 }, 100, 10],
    [{ percent: 10 }, 15, 2],
    [{ percent: 1 }, 5, 1],
    [{ percent: 100 }, 7, 7],
  ])('%j of %i → %i', (amount, total, n) => {
    expect(resolveAmount(amount, total)).toBe(n);
  });
});

describe('wave names, as the progress shows them', () => {
  it('canary, then batch k/K counted apart from the canary; all when there are no batches', () => {
    const waves = planWaves(10, 1, 3);
    expect(waves.map((_, n) => waveName(waves, n))).toEqual([
      'canary',
      'batch 1/3',
      'batch 2/3',
      'batch 3/3',
    ]);
    const flat = planWaves(4, 0);
    expect(waveName(flat, 0)).toBe('all');
  });

  it('the terminal board titles the run with the wave in flight', () => {
    const board = new InflightBoard();
    const t = '2026-01-01T00:00:00.000Z';
    board.apply({ kind: 'run-start', time: t, total: 10, concurrency: 5 });
    board.apply({ kind: 'wave-start', time: t, wave: 2, label: 'batch', name: 'batch 2/3', hosts: ['a'] });
    expect(board.title('apply')).toBe('apply [batch 2/3]: 0/10 done, 0 in flight');
  });
});
