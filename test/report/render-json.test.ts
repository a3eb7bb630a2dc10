import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model/result.js';
import { renderJson } from '../../src/report/render-json.js';
import { FIXTURE_NAMES, fixture } from '../fixtures/reports/fixtures.js';

/** The same report with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((k) => [k, reversedKeys((value as Record<string, unknown>)[k])]),
  );
}

describe('renderJson', () => {
  it.each(FIXTURE_NAMES)('%s: parses back to the same report', (name) => {
    const report = fixture(name);
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });

  it('puts keys in the schema order whatever order they came in', () => {
    const report = reversedKeys(fixture('audit-mixed')) as RunReport;
    const text = renderJson(report);
    expect(text).toBe(renderJson(fixture('audit-mixed')));
    const top = Object.keys(JSON.parse(text));
    expect(top).toEqual([
      'schemaVersion',
      'command',
      'selector',
      'startedAt',
      'finishedAt',
      'stopped',
      'hosts',
    ]);
    const host = JSON.parse(text).hosts[2];
    expect(Object.keys(host)).toEqual([
      'host',
      'status',
      'durationMs',
      'detail',
      'steps',
      'findings',
      'diff',
    ]);
    expect(Object.keys(host.findings[0])).toEqual(['check', 'severity', 'message']);
  });

  it('sorts the keys of command data and of unknown fields, deep', () => {
    const report = fixture('audit-clean');
    const extra = { zeta: 1, alpha: { z: 1, a: 2 } };
    const withData = { ...report, zz: true, aa: 1, hosts: [{ ...report.hosts[0]!, data: extra }] };
    const parsed = JSON.parse(renderJson(withData as RunReport));
    expect(Object.keys(parsed).slice(-2)).toEqual(['aa', 'zz']);
    expect(Object.keys(parsed.hosts[0].data)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(parsed.hosts[0].data.alpha)).toEqual(['a', 'z']);
  });

  it('is pretty (two-space indent) and ends with a newline', () => {
    const text = renderJson(fixture('empty'));
    expect(text).toMatch(/^\{\n {2}"schemaVersion": 1,\n/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('leaves out an absent stopReason rather than writing null', () => {
    expect(renderJson(fixture('audit-mixed'))).not.toContain('stopReason');
    expect(JSON.parse(renderJson(fixture('apply-stopped'))).stopReason).toMatch(/max-fail/);
  });
});
