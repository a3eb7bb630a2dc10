/**
 * `fleet report show` and `fleet report diff` through the real commander program (in process),
 * and once through the built CLI under plain node.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { InputError } from '../../src/errors.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderJunit } from '../../src/report/render-junit.js';
import { fixture, fixturePath } from '../fixtures/reports/fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleet-report-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function fleet(...args: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  await buildProgram().parseAsync(['node', 'fleet', ...args]);
  vi.restoreAllMocks();
  return out;
}

describe('fleet report show', () => {
  it('writes the asked format to --out atomically (no temporary file left) and prints nothing', async () => {
    const out = join(dir, 'sub', 'audit.xml');
    const printed = await fleet(
      'report',
      'show',
      fixturePath('audit-mixed'),
      '--format',
      'junit',
      '--out',
      out,
    );
    expect(printed).toBe('');
    expect(await readFile(out, 'utf8')).toBe(renderJunit(fixture('audit-mixed')));
    expect(await readdir(join(dir, 'sub'))).toEqual(['audit.xml']);
  });

  it('infers the format from --out', async () => {
    const out = join(dir, 'audit.html');
    await fleet('report', 'show', fixturePath('audit-mixed'), '--out', out);
    expect(await readFile(out, 'utf8')).toBe(renderHtml(fixture('audit-mixed')));
  });

  it('exits with the Nagios code for --format nagios, 0 otherwise', async () => {
    const text = await fleet('report', 'show', fixturePath('audit-mixed'), '--format', 'nagios');
    expect(text).toMatch(/^FLEET AUDIT CRITICAL - /);
    expect(process.exitCode).toBe(2);
    process.exitCode = undefined;
    await fleet('report', 'show', fixturePath('audit-mixed'), '--format', 'md');
    expect(process.exitCode).toBeUndefined();
  });

  it('refuses a file that is not a report, and an unknown format, with InputErrors', async () => {
    await expect(fleet('report', 'show', fixturePath('invalid/not-a-report'))).rejects.toThrow(
      /not a fleet report/,
    );
    await expect(
      fleet('report', 'show', fixturePath('audit-mixed'), '--format', 'pdf'),
    ).rejects.toBeInstanceOf(InputError);
  });
});

describe('fleet report diff', () => {
  it('prints the changes; --exit-code exits 1 when something changed', async () => {
    const text = await fleet(
      'report',
      'diff',
      fixturePath('audit-mixed'),
      fixturePath('audit-next'),
      '--exit-code',
    );
    expect(text).toContain('1 added, 1 removed, 2 changed, 7 unchanged');
    expect(process.exitCode).toBe(1);
  });

  it('exits 0 with --exit-code when nothing changed; writes json to --out', async () => {
    const out = join(dir, 'diff.json');
    const args = [fixturePath('audit-clean'), fixturePath('audit-clean')];
    await fleet('report', 'diff', ...args, '--exit-code', '--format', 'json', '--out', out);
    expect(process.exitCode).toBeUndefined();
    expect(JSON.parse(await readFile(out, 'utf8')).unchanged).toBe(10);
  });
});

// The built CLI under plain node (vitest would hide ESM import problems). Needs `npm run build`,
// which scripts/test.sh runs first.
describe.skipIf(!existsSync('dist/cli/commands/report.js'))('the built CLI', () => {
  it('fleet report show --format nagios prints the status line and exits 2', () => {
    const r = spawnSync(
      'node',
      ['bin/fleet.js', 'report', 'show', fixturePath('audit-mixed'), '--format', 'nagios'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toMatch(/^FLEET AUDIT CRITICAL - 2 of 10 hosts critical, 2 warning \| hosts=10;;;0/);
    expect(r.status).toBe(2);
  });

  it('fleet report show on a bad file exits 2 with file:line:col', () => {
    const r = spawnSync('node', ['bin/fleet.js', 'report', 'show', fixturePath('invalid/bad-fields')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad-fields\.json:\d+:\d+ hosts\[1\]\.status: /);
    expect(execFileSync('node', ['bin/fleet.js', 'report', '--help'], { encoding: 'utf8' })).toMatch(
      /show.*\n.*diff/s,
    );
  });
});
