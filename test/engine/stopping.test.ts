import { describe, expect, it } from 'vitest';
import { exitCodeFor, runFleet } from '../../src/engine/index.js';
import { collect, names, sleep } from './helpers.js';

const failing = (bad: string[], ms = 5) => {
  const called: string[] = [];
  const task = async (h: { name: string }) => {
    called.push(h.name);
    await sleep(ms);
    return bad.includes(h.name)
      ? { status: 'failed' as const, detail: 'no' }
      : { status: 'ok' as const, detail: '' };
  };
  return { called, task };
};

describe('canary', () => {
  it('a failed canary host stops the run: the rest are skipped, never started', async () => {
    const { called, task } = failing(['h01']);
    const run = await runFleet(names(6), task, { canary: 2, concurrency: 10 });
    expect(called.sort()).toEqual(['h01', 'h02']);
    expect(run.results.map((r) => r.status)).toEqual([
      'failed',
      'ok',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(run.results[2]!.detail).toMatch(/^not started: canary host h01 ended failed/);
    expect(run).toMatchObject({ stopped: true, stopCause: 'canary' });
    expect(exitCodeFor(run)).toBe(3);
  });

  it('healthy canaries let the rest run', async () => {
    const { called, task } = failing([]);
    const run = await runFleet(names(5), task, { canary: 1 });
    expect(called).toHaveLength(5);
    expect(run.stopped).toBe(false);
    expect(exitCodeFor(run)).toBe(0);
  });
});

describe('batches', () => {
  it('launches a wave only after the previous one finished', async () => {
    const spans = new Map<string, { start: number; end: number }>();
    const task = async (h: { name: string }) => {
      const start = performance.now();
      await sleep(h.name === 'h01' ? 40 : 10);
      spans.set(h.name, { start, end: performance.now() });
      return { status: 'ok' as const, detail: '' };
    };
    const { events, onEvent } = collect();
    await runFleet(names(7), task, { batch: { count: 3 }, concurrency: 10, onEvent });
    const waves = events.flatMap((e) => (e.kind === 'wave-start' ? [e.hosts] : []));
    expect(waves).toEqual([['h01', 'h02', 'h03'], ['h04', 'h05', 'h06'], ['h07']]);
    for (const [prev, next] of [
      [waves[0]!, waves[1]!],
      [waves[1]!, waves[2]!],
    ] as const) {
      const lastEnd = Math.max(...prev.map((n) => spans.get(n)!.end));
      for (const n of next) expect(spans.get(n)!.start).toBeGreaterThanOrEqual(lastEnd);
    }
  });

  it('puts the canary before percentage batches of the whole selection', async () => {
    const { events, onEvent } = collect();
    await runFleet(names(10), failing([]).task, { canary: 1, batch: { percent: 40 }, onEvent });
    const sizes = events.flatMap((e) => (e.kind === 'wave-start' ? [[e.label, e.hosts.length]] : []));
    expect(sizes).toEqual([
      ['canary', 1],
      ['batch', 4],
      ['batch', 4],
      ['batch', 1],
    ]);
  });
});

describe('max-fail', () => {
  it('stops launching once N hosts failed', async () => {
    const { called, task } = failing(['h02', 'h04', 'h06']);
    const { events, onEvent } = collect();
    const run = await runFleet(names(8), task, { maxFail: { count: 2 }, concurrency: 1, onEvent });
    expect(called).toEqual(['h01', 'h02', 'h03', 'h04']);
    expect(run.results.slice(4).every((r) => r.status === 'skipped')).toBe(true);
    expect(run).toMatchObject({ stopped: true, stopCause: 'max-fail' });
    expect(run.stopReason).toBe('failure threshold reached: 2 hosts failed (--max-fail 2)');
    expect(events.filter((e) => e.kind === 'run-stopped')).toHaveLength(1);
  });

  it('resolves a percentage against the selection (10% of 20 = 2)', async () => {
    const { called, task } = failing(['h01', 'h03']);
    const run = await runFleet(names(20), task, { maxFail: { percent: 10 }, concurrency: 1 });
    expect(called).toEqual(['h01', 'h02', 'h03']);
    expect(run.results.filter((r) => r.status === 'skipped')).toHaveLength(17);
  });

  it('is not a stop when the threshold is reached on the last host', async () => {
    const run = await runFleet(names(3), failing(['h03']).task, { maxFail: { count: 1 }, concurrency: 1 });
    expect(run.stopped).toBe(false);
    expect(exitCodeFor(run)).toBe(1);
  });

  it('lets hosts already in flight finish and report', async () => {
    const { task } = failing(['h01'], 30);
    const run = await runFleet(names(5), task, { maxFail: { count: 1 }, concurrency: 3 });
    expect(run.results.map((r) => r.status)).toEqual(['failed', 'ok', 'ok', 'skipped', 'skipped']);
  });
});

describe('cancellation', () => {
  it('abort stops launching; hosts in flight finish and report', async () => {
    const stop = new AbortController();
    const task = async (h: { name: string }) => {
      if (h.name === 'h01') setTimeout(() => stop.abort(), 5);
      await sleep(30);
      return { status: 'ok' as const, detail: 'done' };
    };
    const run = await runFleet(names(6), task, { concurrency: 2, signal: stop.signal });
    expect(run.results.map((r) => r.status)).toEqual([
      'ok',
      'ok',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(run).toMatchObject({
      stopped: true,
      stopCause: 'interrupted',
      stopReason: 'interrupted by the user',
    });
    expect(exitCodeFor(run)).toBe(3);
  });

  it('the kill signal ends hosts in flight at once as failed', async () => {
    const kill = new AbortController();
    const task = async () => {
      setTimeout(() => kill.abort(), 10);
      await new Promise(() => {});
      return { status: 'ok' as const, detail: '' };
    };
    const run = await runFleet(names(3), task, { concurrency: 2, killSignal: kill.signal });
    expect(run.results.map((r) => r.status)).toEqual(['failed', 'failed', 'skipped']);
    expect(run.results[0]!.detail).toBe('aborted by the user');
  });
});

describe('exitCodeFor', () => {
  const r = (status: 'ok' | 'failed' | 'unreachable' | 'rolled-back' | 'skipped' | 'unchanged') => ({
    host: 'h',
    status,
    durationMs: 0,
    detail: '',
    steps: [],
  });
  it.each([
    [['ok', 'unchanged', 'skipped'], false, 0],
    [['ok', 'failed'], false, 1],
    [['unreachable'], false, 1],
    [['rolled-back'], false, 1],
    [['ok', 'skipped'], true, 3],
    [['failed', 'skipped'], true, 3],
  ] as const)('%j stopped=%s → %i', (statuses, stopped, code) => {
    expect(exitCodeFor({ results: statuses.map(r), stopped })).toBe(code);
  });
});
