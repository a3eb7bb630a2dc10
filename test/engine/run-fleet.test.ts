import { describe, expect, it } from 'vitest';
import { HostError, runFleet, type TaskContext } from '../../src/engine/index.js';
import { collect, names, sleep } from './helpers.js';

const ok = async () => ({ status: 'ok' as const, detail: 'fine' });

describe('runFleet concurrency and order', () => {
  it('never has more hosts in flight than the limit, and reaches it', async () => {
    let active = 0;
    let peak = 0;
    const task = async () => {
      active += 1;
      peak = Math.max(peak, active);
      await sleep(10);
      active -= 1;
      return { status: 'ok' as const, detail: '' };
    };
    const run = await runFleet(names(20), task, { concurrency: 3 });
    expect(peak).toBe(3);
    expect(run.results.every((r) => r.status === 'ok')).toBe(true);
  });

  it('returns results in selection order whatever order hosts finish in', async () => {
    const hosts = names(5);
    const run = await runFleet(hosts, async (h) => {
      await sleep(50 - Number(h.name.slice(1)) * 8);
      return { status: 'ok', detail: h.name };
    });
    expect(run.results.map((r) => r.host)).toEqual(hosts.map((h) => h.name));
    expect(run.results.map((r) => r.detail)).toEqual(hosts.map((h) => h.name));
    expect(run.stopped).toBe(false);
  });

  it('runs nothing and stops nothing for an empty selection', async () => {
    const run = await runFleet([], ok, { canary: 1, batch: { percent: 10 }, maxFail: { count: 1 } });
    expect(run).toMatchObject({ results: [], stopped: false });
  });
});

describe('runFleet failures', () => {
  it('keeps every other host result when tasks throw, and honours a status hint', async () => {
    const task = async (h: { name: string }) => {
      if (h.name === 'h02') throw new Error('boom');
      if (h.name === 'h03') throw new HostError('no route to host', 'unreachable');
      if (h.name === 'h04') throw Object.assign(new Error('watchdog restored'), { status: 'rolled-back' });
      if (h.name === 'h05') throw 'a string';
      return { status: 'changed' as const, detail: '+1 -0' };
    };
    const run = await runFleet(names(6), task);
    expect(run.results.map((r) => [r.host, r.status, r.detail])).toEqual([
      ['h01', 'changed', '+1 -0'],
      ['h02', 'failed', 'boom'],
      ['h03', 'unreachable', 'no route to host'],
      ['h04', 'rolled-back', 'watchdog restored'],
      ['h05', 'failed', 'a string'],
      ['h06', 'changed', '+1 -0'],
    ]);
  });

  it('turns a synchronous throw into a failed host', async () => {
    const task = ((h: { name: string }) => {
      if (h.name === 'h01') throw new Error('sync');
      return ok();
    }) as () => Promise<{ status: 'ok'; detail: string }>;
    const run = await runFleet(names(2), task);
    expect(run.results.map((r) => r.status)).toEqual(['failed', 'ok']);
  });

  it('cuts off a host over its timeout, aborts its signal, and the run still ends', async () => {
    let seen: AbortSignal | undefined;
    const task = async (h: { name: string }, ctx: TaskContext) => {
      if (h.name !== 'h02') return { status: 'ok' as const, detail: '' };
      seen = ctx.signal;
      ctx.step('connect');
      await new Promise(() => {}); // hangs forever, like a SIGSTOPped sshd
      return { status: 'ok' as const, detail: '' };
    };
    const started = Date.now();
    const run = await runFleet(names(3), task, { timeoutMs: 60 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(run.results[1]).toMatchObject({
      status: 'failed',
      detail: 'timed out after 60ms (during connect)',
    });
    expect(run.results[1]!.steps.map((s) => s.step)).toEqual(['connect']);
    expect(seen?.aborted).toBe(true);
    expect(run.results.map((r) => r.status)).toEqual(['ok', 'failed', 'ok']);
  });

  it('drops events a timed-out task emits after its host is settled', async () => {
    const { events, onEvent } = collect();
    const task = async (_h: unknown, ctx: TaskContext) => {
      await sleep(80);
      ctx.step('late');
      return { status: 'ok' as const, detail: '' };
    };
    await runFleet(names(1), task, { timeoutMs: 20, onEvent });
    await sleep(100);
    expect(events.filter((e) => e.kind === 'step')).toEqual([]);
  });
});

describe('runFleet steps and events', () => {
  it('times steps into the result and emits host-start, steps, log and host-done in order', async () => {
    const { events, onEvent } = collect();
    const task = async (_h: unknown, ctx: TaskContext) => {
      ctx.step('backup');
      await sleep(30);
      ctx.log('saved');
      ctx.step('swap');
      await sleep(5);
      return { status: 'changed' as const, detail: '+3 -1' };
    };
    const run = await runFleet(names(1), task, { onEvent });
    const steps = run.results[0]!.steps;
    expect(steps.map((s) => s.step)).toEqual(['backup', 'swap']);
    expect(steps[0]!.ms).toBeGreaterThanOrEqual(25);
    expect(run.results[0]!.durationMs).toBeGreaterThanOrEqual(30);
    expect(events.map((e) => e.kind)).toEqual([
      'run-start',
      'wave-start',
      'host-start',
      'step',
      'log',
      'step',
      'host-done',
      'run-done',
    ]);
  });

  it('keeps steps a task reports itself when it used no ctx.step', async () => {
    const run = await runFleet(names(1), async () => ({
      status: 'ok',
      detail: '',
      steps: [{ step: 'x', ms: 7 }],
    }));
    expect(run.results[0]!.steps).toEqual([{ step: 'x', ms: 7 }]);
  });

  it('survives a listener that throws', async () => {
    const run = await runFleet(names(2), ok, {
      onEvent: () => {
        throw new Error('renderer bug');
      },
    });
    expect(run.results.map((r) => r.status)).toEqual(['ok', 'ok']);
  });
});
