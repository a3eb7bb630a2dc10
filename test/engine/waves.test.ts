import { describe, expect, it } from 'vitest';
import { planWaves, resolveAmount } from '../../src/engine/index.js';

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
