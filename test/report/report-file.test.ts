import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRunReport, fileStamp, reportFileName, writeReportFile } from '../../src/report/report-file.js';

const run = {
  command: 'apply',
  selector: 'web-*',
  startedAt: '2026-11-22T01:02:03.456Z',
  finishedAt: '2026-11-22T01:02:09.000Z',
  stopped: false,
  results: [{ host: 'web-01', status: 'changed' as const, durationMs: 5, detail: '+1 -0', steps: [] }],
};

describe('report file names', () => {
  it('uses a filename-safe UTC time and the command', () => {
    expect(fileStamp(run.startedAt)).toBe('2026-11-22T01-02-03Z');
    expect(reportFileName('apply', run.startedAt)).toBe('2026-11-22T01-02-03Z-apply.json');
    expect(reportFileName('apply', run.startedAt, 3)).toBe('2026-11-22T01-02-03Z-apply-3.json');
    expect(reportFileName('report show/../x', run.startedAt)).toBe('2026-11-22T01-02-03Z-report-show-x.json');
  });
});

describe('writeReportFile', () => {
  it('writes the RunReport (schemaVersion 1) under a created dir', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'fleet-report-')), 'reports');
    const path = await writeReportFile(dir, buildRunReport(run));
    expect(path).toBe(join(dir, '2026-11-22T01-02-03Z-apply.json'));
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved).toEqual({
      schemaVersion: 1,
      command: 'apply',
      selector: 'web-*',
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      stopped: false,
      hosts: run.results,
    });
  });

  it('never overwrites: runs in the same second get distinct files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-report-'));
    const first = buildRunReport(run);
    const second = buildRunReport({ ...run, selector: 'db-*' });
    const paths = await Promise.all([writeReportFile(dir, first), writeReportFile(dir, second)]);
    expect(new Set(paths).size).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([
      '2026-11-22T01-02-03Z-apply-2.json',
      '2026-11-22T01-02-03Z-apply.json',
    ]);
    const selectors = await Promise.all(
      paths.map(async (p) => JSON.parse(await readFile(p, 'utf8')).selector),
    );
    expect(selectors.sort()).toEqual(['db-*', 'web-*']);
  });

  it('keeps the stop reason of a stopped run', () => {
    const report = buildRunReport({ ...run, stopped: true, stopReason: 'interrupted by the user' });
    expect(report).toMatchObject({ stopped: true, stopReason: 'interrupted by the user' });
  });
});
