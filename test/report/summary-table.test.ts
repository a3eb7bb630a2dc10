import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/model/finding.js';
import type { HostResult } from '../../src/model/result.js';
import { formatDuration, oneLine } from '../../src/report/summary-format.js';
import { countsLine, renderSummaryTable } from '../../src/report/summary-table.js';

const r = (host: string, status: HostResult['status'], durationMs: number, detail: string): HostResult => ({
  host,
  status,
  durationMs,
  detail,
  steps: [],
});

const RESULTS = [
  r('web-01', 'changed', 1234, '+3 -1'),
  r('web-02', 'unchanged', 850, ''),
  r('db-primary', 'rolled-back', 31_000, 'confirmation failed:\nconnection refused'),
  r('web-03', 'skipped', 0, 'not started: interrupted by the user'),
];

describe('renderSummaryTable', () => {
  it('aligns host, status, duration and detail columns with a header', () => {
    const lines = renderSummaryTable(RESULTS).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'HOST        STATUS       DURATION  DETAIL',
      'web-01      changed      1.2s      +3 -1',
      'web-02      unchanged    850ms',
      'db-primary  rolled-back  31.0s     confirmation failed: | connection refused',
      'web-03      skipped      -         not started: interrupted by the user',
    ]);
  });

  it('ends with the counts line, and the stop reason when stopped', () => {
    const out = renderSummaryTable(RESULTS, { stopReason: 'interrupted by the user' });
    expect(out.trimEnd().split('\n').slice(-2)).toEqual([
      '4 hosts: 1 changed, 1 unchanged, 1 rolled-back, 1 skipped',
      'stopped: interrupted by the user',
    ]);
  });

  it('cuts the detail to fit a terminal width', () => {
    const out = renderSummaryTable([r('a', 'failed', 5, 'x'.repeat(200))], { width: 40 });
    const row = out.split('\n')[1]!;
    expect(row.length).toBe(40);
    expect(row.endsWith('…')).toBe(true);
  });
});

describe('countsLine with findings', () => {
  const withFindings = (host: string, severities: Severity[]): HostResult => ({
    ...r(host, 'ok', 1, ''),
    findings: severities.map((severity) => ({ check: 'c', severity, message: 'm' })),
  });

  it('an ok host with critical or warning findings is not counted ok; the findings are counted', () => {
    const results = [
      ...Array.from({ length: 6 }, (_, i) => r(`h${i}`, 'ok', 1, '')),
      withFindings('h6', ['critical', 'critical', 'info']),
      withFindings('h7', ['warning']),
    ];
    expect(countsLine(results)).toBe(
      '8 hosts: 6 ok, 2 with findings; findings: 2 critical on 1 host, 1 warning on 1 host',
    );
  });

  it('info findings alone change nothing; a failed host stays failed', () => {
    expect(countsLine([withFindings('a', ['info'])])).toBe('1 host: 1 ok');
    const failed = { ...withFindings('b', ['critical']), status: 'failed' as const };
    expect(countsLine([failed])).toBe('1 host: 1 failed; findings: 1 critical on 1 host');
  });
});

describe('hint lines', () => {
  it('each distinct hint of a failure once, with the hosts it concerns', () => {
    const hinted = (host: string, hint: string): HostResult => ({
      ...r(host, 'failed', 1, 'x'),
      data: { hint },
    });
    const text = renderSummaryTable([
      hinted('a', 'add `u ALL=(root) NOPASSWD: ALL` to /etc/sudoers.d/fleet'),
      hinted('b', 'add `u ALL=(root) NOPASSWD: ALL` to /etc/sudoers.d/fleet'),
      hinted('c', 'run with --trust-new-hosts'),
    ]);
    expect(text).toContain('hint (a, b): add `u ALL=(root) NOPASSWD: ALL` to /etc/sudoers.d/fleet\n');
    expect(text).toContain('hint (c): run with --trust-new-hosts\n');
  });
});

describe('countsLine', () => {
  it('orders good before bad and leaves out empty statuses', () => {
    const many = [
      ...Array.from({ length: 7 }, (_, i) => r(`c${i}`, 'changed', 1, '')),
      r('u1', 'unchanged', 1, ''),
      r('f1', 'failed', 1, ''),
      r('u2', 'unchanged', 1, ''),
    ];
    expect(countsLine(many)).toBe('10 hosts: 7 changed, 2 unchanged, 1 failed');
    expect(countsLine([r('a', 'ok', 1, '')])).toBe('1 host: 1 ok');
    expect(countsLine([])).toBe('0 hosts');
  });
});

describe('text helpers', () => {
  it.each([
    [0, '0ms'],
    [999, '999ms'],
    [1000, '1.0s'],
    [59_949, '59.9s'],
    [125_000, '2m05s'],
  ])('formatDuration(%i) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
  it('oneLine joins non-empty lines', () => {
    expect(oneLine('a\r\n\n  b  \nc')).toBe('a | b | c');
  });
});
