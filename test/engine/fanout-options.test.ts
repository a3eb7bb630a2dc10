import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addFanoutOptions, parseDuration, readFanoutOptions } from '../../src/cli/fanout-options.js';
import { InputError } from '../../src/errors.js';

function parse(args: string[], defaults = {}) {
  const cmd = addFanoutOptions(new Command('x').exitOverride(), defaults);
  cmd.parse(args, { from: 'user' });
  return readFanoutOptions(cmd.opts());
}

describe('fan-out options', () => {
  it('has defaults sensible for hundreds of hosts', () => {
    expect(parse([])).toEqual({
      concurrency: 50,
      canary: 0,
      batch: undefined,
      maxFail: undefined,
      timeoutMs: 300_000,
      json: false,
      limit: undefined,
    });
  });

  it('takes per-command defaults', () => {
    expect(parse([], { canary: 1, timeout: '90s' })).toMatchObject({ canary: 1, timeoutMs: 90_000 });
  });

  it('reads counts, percentages, durations and flags', () => {
    const args = [
      '--concurrency',
      '8',
      '--canary',
      '2',
      '--batch',
      '25%',
      '--max-fail',
      '3',
      '--timeout',
      '2m',
    ];
    expect(parse([...args, '--json', '--limit', 'eu'])).toEqual({
      concurrency: 8,
      canary: 2,
      batch: { percent: 25 },
      maxFail: { count: 3 },
      timeoutMs: 120_000,
      json: true,
      limit: 'eu',
    });
  });

  it('--timeout 0 means no per-host limit', () => {
    expect(parse(['--timeout', '0']).timeoutMs).toBeUndefined();
  });

  it('--workers: auto (the default) is undefined, N a whole number of at least 1', () => {
    expect(parse([]).workers).toBeUndefined();
    expect(parse(['--workers', 'auto']).workers).toBeUndefined();
    expect(parse(['--workers', '3']).workers).toBe(3);
    expect(() => parse(['--workers', '0'])).toThrow('--workers "0": must be at least 1');
    expect(() => parse(['--workers', 'many'])).toThrow('--workers "many": expected a whole number');
  });

  it('reports every bad value at once as an InputError (exit 2)', () => {
    const bad = [
      '--concurrency',
      '0',
      '--batch',
      '0%',
      '--max-fail',
      'lots',
      '--timeout',
      '5 minutes',
      '--canary',
      '-1',
    ];
    let error: unknown;
    try {
      parse(bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect(e.exitCode).toBe(2);
    expect(e.problems.map((p) => p.message)).toEqual([
      '--concurrency "0": must be at least 1',
      '--canary "-1": expected a whole number',
      '--batch "0%": a percentage must be more than 0% and at most 100%',
      '--max-fail "lots": expected a whole number',
      '--timeout "5 minutes": expected a duration such as 90s, 5m or 1h',
    ]);
  });

  it.each([
    ['500ms', 500],
    ['90', 90_000],
    ['1.5m', 90_000],
    ['1h', 3_600_000],
  ])('parseDuration(%s) = %i', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
