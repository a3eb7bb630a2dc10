import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model/result.js';
import { renderDiff, renderDiffText } from '../../src/report/render-diff.js';
import { diffReports, isEmptyDiff } from '../../src/report/report-diff.js';
import { fixture } from '../fixtures/reports/fixtures.js';

describe('diffReports', () => {
  const diff = diffReports(fixture('audit-mixed'), fixture('audit-next'));

  it('finds hosts added and removed', () => {
    expect(diff.added.map((h) => [h.host, h.status, h.health])).toEqual([['web-07', 'ok', 'ok']]);
    expect(diff.removed.map((h) => [h.host, h.status, h.health])).toEqual([
      ['lb-01', 'unreachable', 'critical'],
    ]);
  });

  it('finds per host the findings that are new and resolved', () => {
    expect(diff.changed.map((c) => c.host)).toEqual(['db-02', 'web-03']);
    const [db02, web03] = diff.changed;
    expect(db02!.newFindings).toEqual([
      {
        check: 'accept-all',
        severity: 'critical',
        message: 'INPUT rule 3 accepts every packet from anywhere',
      },
    ]);
    expect(db02!.resolvedFindings).toEqual([]);
    expect(db02!.from.health).toBe('warning');
    expect(db02!.to.health).toBe('critical');
    expect(web03!.newFindings).toEqual([]);
    expect(web03!.resolvedFindings.map((f) => f.check)).toEqual(['drift', 'policy-input-drop']);
    expect(diff.unchanged).toBe(7);
  });

  it('finds status changes', () => {
    const before = fixture('audit-clean');
    const after = structuredClone(before);
    after.hosts[2]!.status = 'failed';
    const d = diffReports(before, after);
    expect(d.changed).toEqual([
      {
        host: 'web-03',
        from: { status: 'ok', health: 'ok' },
        to: { status: 'failed', health: 'critical' },
        newFindings: [],
        resolvedFindings: [],
      },
    ]);
  });

  it('is empty between a report and itself, whatever the host order', () => {
    const a = fixture('audit-mixed');
    const b: RunReport = { ...a, hosts: [...a.hosts].reverse() };
    const d = diffReports(a, b);
    expect(isEmptyDiff(d)).toBe(true);
    expect(d.unchanged).toBe(10);
  });

  it('counts a finding that appears twice as two (multiset)', () => {
    const a = fixture('audit-clean');
    const f = { check: 'drift', severity: 'warning' as const, message: 'same' };
    const b = structuredClone(a);
    a.hosts[0]!.findings = [f];
    b.hosts[0]!.findings = [f, f];
    expect(diffReports(a, b).changed[0]!.newFindings).toEqual([f]);
    expect(diffReports(b, a).changed[0]!.resolvedFindings).toEqual([f]);
  });
});

describe('renderDiff', () => {
  const diff = diffReports(fixture('audit-mixed'), fixture('audit-next'));

  it('text: counts, then one line per host change and per finding', () => {
    expect(renderDiffText(diff)).toBe(
      [
        'audit all 2026-01-30T02:00:00.000Z → audit all 2026-01-31T02:00:00.000Z',
        '1 added, 1 removed, 2 changed, 7 unchanged',
        '+ added web-07: ok (OK), 0 findings',
        '- removed lb-01: unreachable (CRITICAL), 0 findings',
        '~ changed db-02: ok (findings changed)',
        '    + new       critical accept-all: INPUT rule 3 accepts every packet from anywhere',
        '~ changed web-03: ok (findings changed)',
        '    - resolved  warning drift: live rules differ from the profile: 1 line removed, 1 added',
        '    - resolved  critical policy-input-drop: INPUT policy is ACCEPT (expected DROP)',
        '',
      ].join('\n'),
    );
  });

  it('text: says so when nothing changed, and when the runs differ', () => {
    const same = renderDiffText(diffReports(fixture('audit-clean'), fixture('audit-clean')));
    expect(same).toContain('no changes: same hosts, statuses and findings');
    const apply = renderDiffText(diffReports(fixture('apply-stopped'), fixture('audit-clean')));
    expect(apply).toContain('note: the reports are of different runs (apply web-* vs audit all)');
  });

  it('md: sections for added, removed and changed hosts, escaped', () => {
    const text = renderDiff(diff, 'md');
    expect(text).toContain('## Added hosts\n\n- web-07: ok (OK)');
    expect(text).toContain('## Removed hosts\n\n- lb-01: unreachable (CRITICAL)');
    expect(text).toContain('### db-02: ok (findings changed)\n\n- **new** critical accept-all: INPUT rule 3');
    const hostile = fixture('hostile');
    const renamed = { ...hostile, hosts: hostile.hosts.map((h) => ({ ...h, host: `${h.host}<b>` })) };
    expect(renderDiff(diffReports(hostile, renamed), 'md')).not.toMatch(/(?<!\\)<(script|b)>/);
  });

  it('json: the diff itself, parseable', () => {
    const parsed = JSON.parse(renderDiff(diff, 'json'));
    expect(Object.keys(parsed)).toEqual(['from', 'to', 'added', 'removed', 'changed', 'unchanged']);
    expect(parsed.changed[0].newFindings[0].check).toBe('accept-all');
  });
});
