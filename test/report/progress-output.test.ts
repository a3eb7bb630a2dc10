import { describe, expect, it } from 'vitest';
import { InflightBoard } from '../../src/cli/output/inflight-board.js';
import { createProgress } from '../../src/cli/output/progress.js';
import { chooseProgressMode } from '../../src/cli/output/progress-mode.js';
import type { EngineEvent } from '../../src/engine/index.js';

describe('chooseProgressMode', () => {
  it.each([
    [{ json: true, isTTY: true, env: {} }, 'json'],
    [{ json: false, isTTY: true, env: {} }, 'tty'],
    [{ json: false, isTTY: false, env: {} }, 'plain'],
    [{ json: false, isTTY: true, env: { CI: 'true' } }, 'plain'],
    [{ json: false, isTTY: true, env: { CI: '0' } }, 'tty'],
    [{ json: false, isTTY: true, env: { TERM: 'dumb' } }, 'plain'],
    [{ json: false, isTTY: true, env: { FLEET_PROGRESS: 'plain' } }, 'plain'],
    [{ json: false, isTTY: false, env: { FLEET_PROGRESS: 'tty' } }, 'tty'],
    [{ json: true, isTTY: false, env: { FLEET_PROGRESS: 'tty' } }, 'json'],
  ] as const)('%j → %s', (inputs, mode) => {
    expect(chooseProgressMode(inputs)).toBe(mode);
  });
});

const T = '2026-11-22T01:02:03.000Z';
const done = (host: string, status: 'ok' | 'failed'): EngineEvent => ({
  kind: 'host-done',
  time: T,
  host,
  result: { host, status, durationMs: 1, detail: '', steps: [] },
});

describe('InflightBoard', () => {
  const board = () => {
    const b = new InflightBoard();
    b.apply({ kind: 'run-start', time: T, total: 5, concurrency: 50 });
    for (const host of ['web-01', 'db-1', 'web-03', 'web-04']) b.apply({ kind: 'host-start', time: T, host });
    b.apply({ kind: 'step', time: T, host: 'web-01', step: 'backup' });
    return b;
  };

  it('shows one line per host in flight with its current step; finished hosts collapse', () => {
    const b = board();
    b.apply(done('web-03', 'failed'));
    expect(b.lines(10)).toEqual(['web-01  backup', 'db-1    start', 'web-04  start']);
    expect(b.title('apply')).toBe('apply: 1/5 done, 1 failed, 3 in flight');
  });

  it('limits the list to what fits and says how many are hidden', () => {
    expect(board().lines(3)).toEqual(['web-01  backup', 'db-1    start', '… and 2 more']);
  });

  it('shows why a run is stopping', () => {
    const b = board();
    b.apply({ kind: 'run-stopped', time: T, cause: 'interrupted', reason: 'interrupted by the user' });
    expect(b.title('plan')).toMatch(/stopping: interrupted by the user$/);
  });
});

describe('createProgress', () => {
  const sink = () => {
    const chunks: string[] = [];
    return { chunks, stream: { write: (s: string) => chunks.push(s) } };
  };

  it('plain mode writes timestamped lines to stderr and nothing to stdout', async () => {
    const [out, err] = [sink(), sink()];
    const p = createProgress('plain', { stdout: out.stream, stderr: err.stream });
    p.onEvent({ kind: 'step', time: T, host: 'web-01', step: 'connect' });
    p.onEvent({ kind: 'run-done', time: T, stopped: false });
    await p.close();
    expect(err.chunks).toEqual(['2026-11-22T01:02:03Z web-01 connect\n']);
    expect(out.chunks).toEqual([]);
  });

  it('json mode writes one parseable event per line to stdout', async () => {
    const [out, err] = [sink(), sink()];
    const p = createProgress('json', { stdout: out.stream, stderr: err.stream });
    p.onEvent({ kind: 'host-start', time: T, host: 'web-01' });
    p.onEvent({ kind: 'run-done', time: T, stopped: false });
    expect(out.chunks.map((l) => JSON.parse(l).kind)).toEqual(['host-start', 'run-done']);
    expect(err.chunks).toEqual([]);
  });
});
