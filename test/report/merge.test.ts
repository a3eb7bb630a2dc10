import { describe, expect, it } from 'vitest';
import { partOfSelection } from '../../src/engine/index.js';
import { InputError } from '../../src/errors.js';
import type { HostResult, RunReport } from '../../src/model/result.js';
import { mergeReports, type ReportPart } from '../../src/report/merge.js';

const selection = Array.from({ length: 12 }, (_, i) => ({ name: `db-${i + 1}` }));

function result(host: string, status: HostResult['status'] = 'ok'): HostResult {
  return { host, status, durationMs: 5, detail: status, steps: [] };
}

/** The report shard `index` of `count` would write (every host ok unless `statuses` says otherwise). */
function shardReport(
  index: number,
  count: number,
  statuses: Record<string, HostResult['status']> = {},
): ReportPart {
  const part = partOfSelection(selection, { shard: { index, count }, canary: 0 });
  const report: RunReport = {
    schemaVersion: 1,
    command: 'audit',
    selector: 'all',
    startedAt: `2026-12-06T10:00:0${index}.000Z`,
    finishedAt: `2026-12-06T10:01:0${index}.000Z`,
    stopped: false,
    shard: part.record,
    hosts: part.hosts.map((h) => result(h.name, statuses[h.name])),
  };
  return { file: `shard-${index}.json`, report };
}

describe('report merge', () => {
  it('joins every shard into the report of one run, in selection order', () => {
    const { report, missing } = mergeReports([shardReport(2, 3), shardReport(0, 3), shardReport(1, 3)]);
    expect(missing).toEqual([]);
    expect(report.hosts.map((h) => h.host)).toEqual(selection.map((h) => h.name));
    expect(report).toMatchObject({ command: 'audit', stopped: false, startedAt: '2026-12-06T10:00:00.000Z' });
    expect(report.finishedAt).toBe('2026-12-06T10:01:02.000Z');
    expect(report.shard).toBeUndefined();
  });

  it('names a missing shard and reports its hosts as not run; the run counts as stopped', () => {
    const absent = partOfSelection(selection, { shard: { index: 1, count: 3 }, canary: 0 }).hosts;
    const { report, missing } = mergeReports([shardReport(0, 3), shardReport(2, 3)]);
    expect(missing).toEqual([`shard 1/3 (${absent.length} host${absent.length === 1 ? '' : 's'})`]);
    for (const h of absent)
      expect(report.hosts.find((r) => r.host === h.name)).toMatchObject({
        status: 'skipped',
        detail: 'not run: shard 1/3 missing',
      });
    expect(report.stopped).toBe(true);
    expect(report.stopReason).toMatch(/missing: shard 1\/3/);
  });

  it('keeps each part stop reason', () => {
    const stoppedPart = shardReport(0, 2);
    stoppedPart.report.stopped = true;
    stoppedPart.report.stopReason = 'max-fail reached';
    const { report } = mergeReports([stoppedPart, shardReport(1, 2)]);
    expect(report.stopReason).toBe('shard 0/2: max-fail reached');
  });

  it('names a missing canary run when the rest is there', () => {
    const rest = [0, 1].map((index) => {
      const p = partOfSelection(selection, { shard: { index, count: 2 }, canary: 2, skipCanary: true });
      const r = shardReport(index, 2);
      r.report.shard = p.record;
      r.report.hosts = p.hosts.map((h) => result(h.name));
      return r;
    });
    const { report, missing } = mergeReports(rest);
    expect(missing).toEqual(['the canary run (2 hosts)']);
    expect(report.hosts.slice(0, 2).map((h) => h.detail)).toEqual([
      'not run: the canary run missing',
      'not run: the canary run missing',
    ]);
  });

  it('refuses parts of different selections, a part twice and a report of a whole run', () => {
    const other = shardReport(1, 3);
    other.report.shard = { ...other.report.shard!, selection: { size: 1, digest: 'sha256:x', hosts: ['x'] } };
    expect(() => mergeReports([shardReport(0, 3), other])).toThrow(/a part of another run/);
    expect(() => mergeReports([shardReport(0, 3), { ...shardReport(0, 3), file: 'again.json' }])).toThrow(
      /again\.json: shard 0\/3 is also in shard-0\.json/,
    );
    const whole = shardReport(0, 1);
    delete whole.report.shard;
    expect(() => mergeReports([whole])).toThrow(InputError);
    expect(() => mergeReports([])).toThrow(/no reports given/);
  });
});
