import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatValue, renderProm } from '../../src/report/render-prom.js';
import { FIXTURE_NAMES, fixture } from '../fixtures/reports/fixtures.js';

// The text exposition format 0.0.4, line by line.
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABELS = `\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE}(?:,[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE})*)?\\}`;
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+)|NaN|[+-]Inf)';
const SAMPLE = new RegExp(`^(${NAME})(${LABELS})? (${VALUE})$`);
const HELP = new RegExp(`^# HELP (${NAME}) (?:[^\\\\\\n]|\\\\[\\\\n])*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function unescapeLabel(v: string): string {
  return v.replace(/\\([\\"n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/** Checks every line against the grammar and the family rules; returns the samples. */
function parseExposition(text: string): Sample[] {
  expect(text.endsWith('\n')).toBe(true);
  const samples: Sample[] = [];
  const typed = new Set<string>();
  const seen = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    const sample = SAMPLE.exec(line);
    expect(help ?? type ?? sample, `line does not match the exposition grammar: ${line}`).toBeTruthy();
    if (type) {
      expect(typed.has(type[1]!), `TYPE twice for ${type[1]}`).toBe(false);
      typed.add(type[1]!);
    }
    if (!sample) continue;
    expect(typed.has(sample[1]!), `sample before its TYPE: ${line}`).toBe(true);
    const key = `${sample[1]}${sample[2] ?? ''}`;
    expect(seen.has(key), `duplicate series ${key}`).toBe(false);
    seen.add(key);
    const labels = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)=(${LABEL_VALUE})`, 'g'))].map(
        (m) => [m[1], unescapeLabel(m[2]!.slice(1, -1))],
      ),
    );
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return samples;
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

describe('renderProm', () => {
  it.each(FIXTURE_NAMES)('%s: every line follows the exposition format, no duplicate series', (name) => {
    const samples = parseExposition(renderProm(fixture(name)));
    expect(samples.every((s) => s.labels.command === fixture(name).command)).toBe(true);
  });

  it('has the fleet gauges of the run', () => {
    const s = parseExposition(renderProm(fixture('audit-mixed')));
    expect(value(s, 'fleet_hosts_total')).toBe(10);
    expect(value(s, 'fleet_run_timestamp_seconds')).toBe(Date.parse('2026-01-30T02:00:12.345Z') / 1000);
    expect(value(s, 'fleet_run_duration_seconds')).toBe(12.345);
    expect(value(s, 'fleet_run_state')).toBe(2);
    expect(value(s, 'fleet_run_stopped')).toBe(0);
    expect(value(s, 'fleet_run_info', { selector: 'all' })).toBe(1);
    expect(value(s, 'fleet_hosts', { status: 'ok' })).toBe(9);
    expect(value(s, 'fleet_hosts', { status: 'unreachable' })).toBe(1);
    expect(value(s, 'fleet_hosts', { status: 'failed' })).toBe(0);
    expect(value(s, 'fleet_findings', { severity: 'warning' })).toBe(3);
  });

  it('has per-host gauges: one status sample, findings by every severity, state and duration', () => {
    const s = parseExposition(renderProm(fixture('audit-mixed')));
    const status = s.filter((x) => x.name === 'fleet_host_status' && x.labels.host === 'lb-01');
    expect(status).toEqual([
      {
        name: 'fleet_host_status',
        labels: { command: 'audit', host: 'lb-01', status: 'unreachable' },
        value: 1,
      },
    ]);
    expect(value(s, 'fleet_host_findings', { host: 'web-03', severity: 'critical' })).toBe(1);
    expect(value(s, 'fleet_host_findings', { host: 'web-03', severity: 'warning' })).toBe(1);
    expect(value(s, 'fleet_host_findings', { host: 'web-03', severity: 'info' })).toBe(0);
    expect(value(s, 'fleet_host_state', { host: 'web-05' })).toBe(1);
    expect(value(s, 'fleet_host_state', { host: 'web-02' })).toBe(0);
    expect(value(s, 'fleet_host_duration_seconds', { host: 'lb-01' })).toBe(10.012);
    expect(s.filter((x) => x.name === 'fleet_host_findings')).toHaveLength(30);
  });

  it('escapes label values so they read back exactly', () => {
    const report = fixture('hostile');
    const s = parseExposition(renderProm(report));
    const hosts = s.filter((x) => x.name === 'fleet_host_status').map((x) => x.labels.host);
    expect(hosts).toEqual(report.hosts.map((h) => h.host));
    expect(value(s, 'fleet_run_info')).toBe(1);
    expect(s.find((x) => x.name === 'fleet_run_info')!.labels.selector).toBe('web-*|"x"');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('writes values as Prometheus reads them', () => {
    expect([0, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, -Infinity].map(formatValue)).toEqual([
      '0',
      '1.5',
      '1e+21',
      'NaN',
      '+Inf',
      '-Inf',
    ]);
  });
});
