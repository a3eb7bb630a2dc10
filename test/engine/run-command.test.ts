import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FanoutOptions } from '../../src/cli/fanout-options.js';
import { type CommandIO, runHostCommand } from '../../src/cli/run-command.js';
import { HostError } from '../../src/engine/index.js';
import { names, sleep } from './helpers.js';

function fakeIO(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  const io: CommandIO = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env,
    signals: signals as CommandIO['signals'],
  };
  return { io, signals, stdout: () => out.join(''), stderr: () => err.join('') };
}

const OPTS: FanoutOptions = { concurrency: 4, canary: 0, json: false };

async function setup() {
  return mkdtemp(join(tmpdir(), 'fleet-run-'));
}

describe('runHostCommand', () => {
  it('plain run: lines on stderr, summary on stdout, report file in <dir>/reports, exit 1 on a failure', async () => {
    const dir = await setup();
    const t = fakeIO();
    const task = async (h: { name: string }) => {
      if (h.name === 'h02') throw new HostError('connection refused', 'unreachable');
      return { status: 'changed' as const, detail: '+1 -0' };
    };
    const code = await runHostCommand({
      command: 'apply',
      selector: 'all',
      hosts: names(3),
      task,
      opts: OPTS,
      dir,
      io: t.io,
    });
    expect(code).toBe(1);
    expect(t.stderr()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ h02 unreachable \d+ms connection refused$/m);
    expect(t.stdout()).toContain('3 hosts: 2 changed, 1 unreachable');
    const files = await readdir(join(dir, 'reports'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-apply\.json$/);
    const report = JSON.parse(await readFile(join(dir, 'reports', files[0]!), 'utf8'));
    expect(report).toMatchObject({ schemaVersion: 1, command: 'apply', selector: 'all', stopped: false });
    expect(report.hosts.map((h: { status: string }) => h.status)).toEqual([
      'changed',
      'unreachable',
      'changed',
    ]);
    expect(t.stderr()).toContain(`report: ${join(dir, 'reports', files[0]!)}`);
  });

  it('--json: stdout is only JSON lines ending with the report; the summary goes to stderr', async () => {
    const t = fakeIO();
    const task = async () => ({ status: 'ok' as const, detail: '' });
    const code = await runHostCommand({
      command: 'facts',
      selector: 'web-*',
      hosts: names(2),
      task,
      opts: { ...OPTS, json: true },
      dir: await setup(),
      io: t.io,
    });
    expect(code).toBe(0);
    const lines = t
      .stdout()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ kind: 'report', report: { command: 'facts', hosts: [{}, {}] } });
    expect(lines.filter((l) => l.kind === 'host-done')).toHaveLength(2);
    expect(t.stderr()).toContain('2 hosts: 2 ok');
  });

  it('Ctrl-C stops launching (exit 3); a second Ctrl-C aborts hosts in flight', async () => {
    const t = fakeIO();
    const task = async (h: { name: string }, ctx: { signal: AbortSignal }) => {
      if (h.name === 'h01') setTimeout(() => t.signals.emit('SIGINT'), 5);
      if (h.name === 'h02') setTimeout(() => t.signals.emit('SIGINT'), 20);
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      return { status: 'ok' as const, detail: '' };
    };
    const code = await runHostCommand({
      command: 'plan',
      selector: 'all',
      hosts: names(5),
      task,
      opts: { ...OPTS, concurrency: 2 },
      dir: await setup(),
      io: t.io,
    });
    expect(code).toBe(3);
    expect(t.stdout()).toContain('5 hosts: 2 failed, 3 skipped');
    expect(t.stdout()).toContain('stopped: interrupted by the user');
    expect(t.stderr()).toContain('Ctrl-C again');
    expect(t.signals.listenerCount('SIGINT')).toBe(0);
  });

  it('max-fail stop is exit 3 even though hosts failed', async () => {
    const t = fakeIO();
    const task = async () => {
      await sleep(1);
      return { status: 'failed' as const, detail: 'no' };
    };
    const opts = { ...OPTS, concurrency: 1, maxFail: { count: 1 } };
    const code = await runHostCommand({
      command: 'audit',
      selector: 'all',
      hosts: names(3),
      task,
      opts,
      dir: await setup(),
      io: t.io,
    });
    expect(code).toBe(3);
  });

  it('a report dir that cannot be written is a warning, not a lost run', async () => {
    const t = fakeIO();
    const dir = join(await setup(), 'not-a-dir');
    await writeFile(dir, '');
    const task = async () => ({ status: 'unchanged' as const, detail: '' });
    const code = await runHostCommand({
      command: 'plan',
      selector: 'all',
      hosts: names(1),
      task,
      opts: OPTS,
      dir,
      io: t.io,
    });
    expect(code).toBe(0);
    expect(t.stdout()).toContain('1 host: 1 unchanged');
    expect(t.stderr()).toMatch(/warning: the report file could not be written/);
  });

  it('prints per-host text from the command before the summary table', async () => {
    const t = fakeIO();
    const task = async (h: { name: string }) => ({
      status: 'ok' as const,
      detail: '',
      data: { out: `hello from ${h.name}` },
    });
    await runHostCommand({
      command: 'exec',
      selector: 'all',
      hosts: names(2),
      task,
      opts: OPTS,
      dir: await setup(),
      io: t.io,
      beforeSummary: (results) => results.map((r) => `== ${r.host}\n${r.data?.out}\n`).join(''),
    });
    expect(t.stdout()).toMatch(/^== h01\nhello from h01\n== h02\nhello from h02\nHOST /);
  });
});
