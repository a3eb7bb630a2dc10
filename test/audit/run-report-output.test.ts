/**
 * `--format`/`--out` on every fan-out command: wired once in runHostCommand (finishRun). The
 * flags are read with the fan-out flags; the rendering goes to --out or stdout (the summary then
 * moves to stderr); `--format nagios` makes the exit code the plugin's.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addFanoutOptions, readFanoutOptions } from '../../src/cli/fanout-options.js';
import { type CommandIO, runHostCommand } from '../../src/cli/run-command.js';
import { HostError, type TaskResult } from '../../src/engine/index.js';
import { InputError } from '../../src/errors.js';
import { renderJson } from '../../src/report/render-json.js';

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env: {},
    signals: new EventEmitter() as CommandIO['signals'],
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

function flags(args: string[]) {
  const cmd = addFanoutOptions(new Command('x').exitOverride());
  cmd.parse(args, { from: 'user' });
  return readFanoutOptions(cmd.opts());
}

const HOSTS = [{ name: 'a' }, { name: 'b' }];

async function runWith(args: string[], task: (h: { name: string }) => Promise<TaskResult>) {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-fmt-'));
  const t = fakeIO();
  const code = await runHostCommand({
    command: 'audit',
    selector: 'all',
    hosts: HOSTS,
    task,
    opts: flags(args),
    dir,
    io: t.io,
  });
  return { code, dir, ...t };
}

const warnOnB = async (h: { name: string }): Promise<TaskResult> => ({
  status: 'ok',
  detail: 'checked',
  findings: h.name === 'b' ? [{ check: 'drift', severity: 'warning', message: 'rules differ' }] : [],
});

describe('--format and --out on run commands', () => {
  it('reads the flags with the fan-out flags; the format follows --out when not given', () => {
    expect(flags([]).report).toBeUndefined();
    expect(flags(['--format', 'junit']).report).toEqual({ format: 'junit', out: undefined });
    expect(flags(['--out', 'r/x.html']).report).toEqual({ format: 'html', out: 'r/x.html' });
    expect(flags(['--out', 'x.unknown']).report).toEqual({ format: 'table', out: 'x.unknown' });
  });

  it('refuses an unknown format and --json with a format on stdout, all at once (exit 2)', () => {
    const e = (() => {
      try {
        flags(['--format', 'yaml', '--concurrency', '0']);
      } catch (err) {
        return err as InputError;
      }
    })();
    expect(e).toBeInstanceOf(InputError);
    expect(e?.problems.map((p) => p.message)).toEqual([
      '--concurrency "0": must be at least 1',
      '--format "yaml": expected one of table, json, md, html, junit, nagios, prom',
    ]);
    expect(() => flags(['--json', '--format', 'md'])).toThrow(/--json and --format both write to stdout/);
    expect(flags(['--json', '--format', 'md', '--out', 'x.md']).report?.format).toBe('md');
  });

  it('--format nagios: plugin text on stdout, the summary on stderr, the exit code is the plugin one', async () => {
    const r = await runWith(['--format', 'nagios'], warnOnB);
    expect(r.code).toBe(1);
    expect(r.stdout()).toMatch(/^FLEET AUDIT WARNING - 1 of 2 hosts warning \|/);
    expect(r.stdout()).toContain('  warning drift: rules differ');
    expect(r.stderr()).toContain('2 hosts: 1 ok, 1 with findings; findings: 1 warning on 1 host');
  });

  it("--format nagios on an unreachable host exits 2 (CRITICAL), not fleet's 1", async () => {
    const r = await runWith(['--format', 'nagios'], async (h) => {
      if (h.name === 'a') throw new HostError('connection refused', 'unreachable');
      return { status: 'ok', detail: '' };
    });
    expect(r.code).toBe(2);
  });

  it('--out writes the rendering atomically; the summary stays on stdout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-out-'));
    const out = join(dir, 'sub', 'audit.xml');
    const r = await runWith(['--out', out], warnOnB);
    expect(r.code).toBe(0);
    const xml = await readFile(out, 'utf8');
    expect(xml).toContain('<testcase name="b" classname="fleet.audit"');
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(r.stdout()).toContain('2 hosts: 1 ok, 1 with findings; findings: 1 warning on 1 host');
    expect(r.stderr()).toContain(`junit report: ${out}`);
    expect(await readdir(join(dir, 'sub'))).toEqual(['audit.xml']);
  });

  it('the saved reports/<time>-<command>.json is the canonical JSON rendering (keys in a fixed order)', async () => {
    const r = await runWith([], async () => ({
      status: 'ok',
      detail: '',
      data: { zeta: 1, alpha: { y: 1, x: 2 } },
    }));
    const [file] = await readdir(join(r.dir, 'reports'));
    const text = await readFile(join(r.dir, 'reports', file!), 'utf8');
    expect(text).toBe(renderJson(JSON.parse(text)));
    expect(text.indexOf('"alpha"')).toBeLessThan(text.indexOf('"zeta"'));
    expect(text.indexOf('"x"')).toBeLessThan(text.indexOf('"y"'));
  });

  it('the exitCode hook decides when no format does (audit: 1 on findings)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-hook-'));
    const code = await runHostCommand({
      command: 'audit',
      selector: 'all',
      hosts: HOSTS,
      task: warnOnB,
      opts: flags([]),
      dir,
      io: fakeIO().io,
      exitCode: (report, usual) => (report.hosts.some((h) => h.findings?.length) ? 1 : usual),
    });
    expect(code).toBe(1);
  });
});
