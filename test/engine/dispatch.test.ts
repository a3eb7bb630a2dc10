/**
 * The worker dispatcher, pure: fake workers are plain async functions that run the host's task
 * in this thread (what a worker thread does over messages), so the engine's waves, limits and
 * stops are checked across several workers without threads.
 */
import { describe, expect, it } from 'vitest';
import {
  Dispatcher,
  type HostEnv,
  leastLoaded,
  runFleet,
  runOneHost,
  shareOf,
  type TaskResult,
  workerCount,
} from '../../src/engine/index.js';
import { collect, names, sleep } from './helpers.js';

type Host = { name: string };
type Task = (h: Host) => Promise<TaskResult>;

/** `n` fake workers; each records the hosts it ran. */
function fakeWorkers(n: number, task: Task) {
  const ran: string[][] = Array.from({ length: n }, () => []);
  const workers = ran.map((list) => (host: Host, env: HostEnv) => {
    list.push(host.name);
    return runOneHost(host, (h) => task(h), env);
  });
  const dispatcher = new Dispatcher(workers);
  const runHost = (host: Host, env: HostEnv) => dispatcher.run((w) => w(host, env));
  return { ran, dispatcher, runHost };
}

/** Hosts finish in reverse order of their number: the last launched finishes first. */
const reverse: Task = async (h) => {
  await sleep(60 - Number(h.name.slice(1)) * 4);
  return { status: 'ok', detail: h.name };
};

describe('workerCount', () => {
  it('auto: one per core, but in-process below 400 hosts (200 hosts per worker)', () => {
    expect(workerCount({ hosts: 399, concurrency: 100, cores: 16 })).toBe(1);
    expect(workerCount({ hosts: 400, concurrency: 100, cores: 16 })).toBe(2);
    expect(workerCount({ hosts: 1000, concurrency: 50, cores: 2 })).toBe(2);
    expect(workerCount({ hosts: 1000, concurrency: 200, cores: 16 })).toBe(5);
    expect(workerCount({ hosts: 5000, concurrency: 400, cores: 16 })).toBe(16);
  });

  it('asked: as asked, never more than the hosts or the concurrency', () => {
    expect(workerCount({ asked: 3, hosts: 6, concurrency: 50, cores: 2 })).toBe(3);
    expect(workerCount({ asked: 8, hosts: 6, concurrency: 50, cores: 2 })).toBe(6);
    expect(workerCount({ asked: 8, hosts: 600, concurrency: 4, cores: 2 })).toBe(4);
    expect(workerCount({ asked: 1, hosts: 6000, concurrency: 50, cores: 64 })).toBe(1);
  });

  it('shares a fleet-wide limit: 64 handshakes over 3 workers is 22 each, never 0', () => {
    expect(shareOf(64, 3)).toBe(22);
    expect(shareOf(64, 1)).toBe(64);
    expect(shareOf(2, 16)).toBe(1);
  });

  it('picks the first of the least-loaded workers', () => {
    expect(leastLoaded([2, 1, 1])).toBe(1);
    expect(leastLoaded([0, 0])).toBe(0);
    expect(leastLoaded([3, 4, 2])).toBe(2);
  });
});

describe('runFleet over a dispatcher', () => {
  it('keeps results and host-done events in selection order, as one thread does', async () => {
    const hosts = names(8);
    const one = await runFleet(hosts, reverse, { concurrency: 4 });
    const { ran, runHost } = fakeWorkers(3, reverse);
    const { events, onEvent } = collect();
    const three = await runFleet(hosts, reverse, { concurrency: 4, runHost, onEvent });
    expect(three.results.map((r) => [r.host, r.detail])).toEqual(one.results.map((r) => [r.host, r.detail]));
    expect(ran.every((list) => list.length > 0)).toBe(true);
    expect(events.filter((e) => e.kind === 'host-done')).toHaveLength(8);
  });

  it('holds --concurrency fleet-wide, spread over the workers', async () => {
    let active = 0;
    let peak = 0;
    const { dispatcher, runHost } = fakeWorkers(3, async () => {
      active += 1;
      peak = Math.max(peak, active);
      await sleep(15);
      active -= 1;
      return { status: 'ok', detail: '' };
    });
    let spread = 0;
    const run = await runFleet(names(18), async () => ({ status: 'ok', detail: '' }), {
      concurrency: 4,
      runHost,
      onEvent: (e) => {
        if (e.kind === 'host-start') spread = Math.max(spread, ...dispatcher.inFlight());
      },
    });
    expect(peak).toBe(4);
    expect(spread).toBeLessThanOrEqual(2); // 4 in flight over 3 workers: at most 2 on one
    expect(run.results.every((r) => r.status === 'ok')).toBe(true);
  });

  it('a failed canary stops the rest on every worker', async () => {
    const { ran, runHost } = fakeWorkers(2, async (h) =>
      h.name === 'h02' ? { status: 'failed', detail: 'bad' } : { status: 'ok', detail: '' },
    );
    const run = await runFleet(names(6), async () => ({ status: 'ok', detail: '' }), {
      canary: 2,
      runHost,
    });
    expect(ran.flat().sort()).toEqual(['h01', 'h02']);
    expect(run.results.slice(2).every((r) => r.status === 'skipped')).toBe(true);
    expect(run).toMatchObject({ stopped: true, stopCause: 'canary' });
  });

  it('max-fail counts failures from every worker and stops dispatching, as one thread does', async () => {
    const task: Task = async (h) => {
      await sleep(5);
      return Number(h.name.slice(1)) <= 3 ? { status: 'failed', detail: 'x' } : { status: 'ok', detail: '' };
    };
    const opts = { concurrency: 3, maxFail: { count: 2 } };
    const one = await runFleet(names(12), task, opts);
    const { ran, runHost } = fakeWorkers(3, task);
    const run = await runFleet(names(12), task, { ...opts, runHost });
    expect(ran.flat().length).toBeLessThanOrEqual(4); // 3 in flight, one more before the 2nd failure
    expect(run.results.map((r) => r.status)).toEqual(one.results.map((r) => r.status));
    expect(run.results.filter((r) => r.status === 'skipped').length).toBe(12 - ran.flat().length);
    expect(run).toMatchObject({ stopped: true, stopCause: 'max-fail' });
  });
});
