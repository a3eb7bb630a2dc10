import { describe, expect, it } from 'vitest';
import { intList, labNames, labSizes, memoryPlan, simAddress } from '../../bench/lib/split.js';

describe('bench lab split', () => {
  it('one lab up to 200 hosts, then ceil(hosts / 200) labs as even as possible', () => {
    expect(labSizes(60)).toEqual([60]);
    expect(labSizes(200)).toEqual([200]);
    expect(labSizes(300)).toEqual([150, 150]);
    expect(labSizes(1000)).toEqual([200, 200, 200, 200, 200]);
    expect(labSizes(1001)).toEqual([167, 167, 167, 167, 167, 166]);
    const big = labSizes(3000);
    expect(big).toHaveLength(15);
    expect(big.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(Math.max(...big)).toBeLessThanOrEqual(214);
  });

  it('splits two labs of 30 when asked for 30 per lab', () => {
    expect(labSizes(60, 30)).toEqual([30, 30]);
  });

  it('refuses a host count below one', () => {
    expect(() => labSizes(0)).toThrow(/>= 1/);
  });

  it('names the labs prefix, prefix2, ... and refuses names longer than 24 characters', () => {
    expect(labNames('bench', 3)).toEqual(['bench', 'bench2', 'bench3']);
    expect(() => labNames('a'.repeat(23), 10)).toThrow(/longer than 24/);
  });

  it('refuses a size whose lab hosts do not fit in the available memory, and says what fits', () => {
    const fits = memoryPlan(1000, 20_000);
    expect(fits.ok).toBe(true);
    const too = memoryPlan(6000, 20_000);
    expect(too.ok).toBe(false);
    expect(too.maxHosts).toBeLessThan(6000);
    expect(memoryPlan(too.maxHosts, 20_000).ok).toBe(true);
    expect(memoryPlan(too.maxHosts + 1, 20_000).ok).toBe(false);
  });

  it('gives simulated hosts distinct loopback addresses, never .0, .255 or 127.0.0.1', () => {
    const all = Array.from({ length: 10_000 }, (_, i) => simAddress(i));
    expect(new Set(all).size).toBe(10_000);
    expect(all[0]).toBe('127.213.0.1');
    expect(all[250]).toBe('127.213.1.1');
    expect(all.every((a) => /^127\.213\.\d+\.(\d+)$/.test(a) && !/\.(0|255)$/.test(a))).toBe(true);
    expect(() => simAddress(-1)).toThrow();
  });

  it('reads comma lists of whole numbers and names the option on bad input', () => {
    expect(intList('sizes', '100,1000')).toEqual([100, 1000]);
    expect(() => intList('sizes', '100,abc')).toThrow(/--sizes/);
  });
});
