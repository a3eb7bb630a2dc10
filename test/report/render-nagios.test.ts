import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/model/finding.js';
import type { HostResult, HostStatus, RunReport } from '../../src/model/result.js';
import { nagiosExitCode, renderNagios } from '../../src/report/render-nagios.js';
import { fixture } from '../fixtures/reports/fixtures.js';

function host(name: string, status: HostStatus, severities: Severity[] = []): HostResult {
  const findings: Finding[] = severities.map((severity, i) => ({ check: `c${i}`, severity, message: 'm' }));
  return { host: name, status, durationMs: 1, detail: 'd', steps: [], findings };
}

function run(hosts: HostResult[], stopped = false): RunReport {
  return {
    schemaVersion: 1,
    command: 'audit',
    selector: 'all',
    startedAt: '2026-01-30T02:00:00.000Z',
    finishedAt: '2026-01-30T02:00:02.500Z',
    stopped,
    hosts,
  };
}

/** Nagios plugin output grammar: `label=value[UOM];[warn];[crit];[min];[max]`. */
const PERF_ITEM = /^[^'= ]+=-?\d+(\.\d+)?(s|ms|us|%|B|KB|MB|TB|c)?;[^; ]*;[^; ]*;[^; ]*;?[^; ]*$/;

describe('nagiosExitCode', () => {
  const cases: [string, RunReport, number][] = [
    ['all ok', run([host('a', 'ok'), host('b', 'unchanged'), host('c', 'changed')]), 0],
    ['info findings only', run([host('a', 'ok', ['info', 'info'])]), 0],
    ['a warning finding', run([host('a', 'ok'), host('b', 'ok', ['warning', 'info'])]), 1],
    ['a critical finding', run([host('a', 'ok', ['warning']), host('b', 'ok', ['critical'])]), 2],
    ['a failed host', run([host('a', 'failed')]), 2],
    ['an unreachable host', run([host('a', 'ok'), host('b', 'unreachable')]), 2],
    ['a rolled-back host', run([host('a', 'rolled-back')]), 2],
    ['no hosts', run([]), 3],
    ['a skipped host', run([host('a', 'ok'), host('b', 'skipped')]), 3],
    ['stopped early, no bad host', run([host('a', 'ok', ['warning'])], true), 3],
    ['stopped early with a failed host', run([host('a', 'failed'), host('b', 'skipped')], true), 2],
    ['warning beats nothing but not unknown', run([host('a', 'ok', ['warning']), host('b', 'skipped')]), 3],
  ];
  it.each(cases)('%s → %i', (_name, report, code) => {
    expect(nagiosExitCode(report)).toBe(code);
  });
});

describe('renderNagios', () => {
  it('starts with the status line, counts and perfdata', () => {
    const [first] = renderNagios(fixture('audit-mixed')).split('\n');
    const [status, perf] = first!.split(' | ');
    expect(status).toBe('FLEET AUDIT CRITICAL - 2 of 10 hosts critical, 2 warning');
    for (const item of perf!.split(' ')) expect(item).toMatch(PERF_ITEM);
    expect(perf).toContain('hosts=10;;;0');
    expect(perf).toContain('critical=2;;;0');
    expect(perf).toContain('findings_critical=1;;;0');
    expect(perf).toContain('findings_warning=3;;;0');
    expect(perf).toContain('duration=12.345s;;;0');
  });

  it('lists the hosts that are not OK, worst first, with their findings; OK hosts are left out', () => {
    const lines = renderNagios(fixture('audit-mixed')).trimEnd().split('\n').slice(1);
    const heads = lines.filter((l) => !l.startsWith(' '));
    expect(heads.map((l) => l.split(':')[0])).toEqual([
      'CRITICAL lb-01',
      'CRITICAL web-03',
      'WARNING db-02',
      'WARNING web-05',
    ]);
    expect(lines).toContain('  critical policy-input-drop: INPUT policy is ACCEPT (expected DROP)');
    expect(lines.join('\n')).not.toMatch(/web-01|package-updates/);
  });

  it("each host line says its health: the status when that is what is wrong, else the findings' count", () => {
    const text = renderNagios(
      run([
        host('a', 'ok', ['critical', 'critical', 'warning']),
        host('b', 'failed'),
        host('c', 'ok', ['warning']),
      ]),
    );
    const heads = text.split('\n').filter((l) => /^[A-Z]+ \w+:/.test(l));
    expect(heads).toEqual([
      'CRITICAL b: failed - d',
      'CRITICAL a: 2 critical, 1 warning - d',
      'WARNING c: 1 warning - d',
    ]);
    expect(text).not.toMatch(/: ok - /);
  });

  it('says OK with all hosts when the fleet is clean', () => {
    expect(renderNagios(fixture('audit-clean'))).toMatch(
      /^FLEET AUDIT OK - all 10 hosts ok \| hosts=10;;;0 /,
    );
    expect(renderNagios(fixture('audit-clean')).trimEnd().split('\n')).toHaveLength(1);
  });

  it('says UNKNOWN with the reason when there are no hosts or the run stopped', () => {
    expect(renderNagios(fixture('empty'))).toMatch(/^FLEET AUDIT UNKNOWN - no hosts in the report \|/);
    const apply = renderNagios(fixture('apply-stopped'));
    expect(apply).toMatch(
      /^FLEET APPLY CRITICAL - 2 of 5 hosts critical, 1 unknown; run stopped early: max-fail/,
    );
    expect(nagiosExitCode(fixture('apply-stopped'))).toBe(2);
  });

  it('keeps `|` and line breaks of hostile values out of the output structure', () => {
    const text = renderNagios(fixture('hostile'));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]!.split('|')).toHaveLength(2);
    for (const line of lines.slice(1)) expect(line).not.toContain('|');
    // 1 status line + 2 hosts + 1 critical finding + 1 warning finding (info left out).
    expect(lines).toHaveLength(5);
  });
});
