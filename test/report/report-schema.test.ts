/**
 * The published schema (schemas/report.v1.schema.json) against real reports: the fixtures, the
 * JSON renderer's output, and a report the real engine produced. The runtime check behind
 * `fleet report show` (zod, in load-report.ts) must agree with the schema on random reports
 * and on random breakages of them.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostError, runFleet } from '../../src/engine/index.js';
import type { RunReport } from '../../src/model/result.js';
import { parseReport } from '../../src/report/load-report.js';
import { HOST_STATUSES, SEVERITIES } from '../../src/report/render-common.js';
import { renderJson } from '../../src/report/render-json.js';
import { buildRunReport } from '../../src/report/report-file.js';
import { FIXTURE_NAMES, fixture, fixturePath } from '../fixtures/reports/fixtures.js';
import { REPORT_SCHEMA as schema, schemaErrors } from '../support/report-schema.js';

function zodAccepts(value: unknown): boolean {
  try {
    parseReport(JSON.stringify(value), 'x.json');
    return true;
  } catch {
    return false;
  }
}

const readJson = (name: string) => JSON.parse(readFileSync(fixturePath(name), 'utf8'));

describe('schemas/report.v1.schema.json', () => {
  it('is a draft 2020-12 schema that pins schemaVersion 1', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.schemaVersion.const).toBe(1);
    expect(new Set(schema.$defs.hostStatus.enum)).toEqual(new Set(HOST_STATUSES));
    expect(new Set(schema.$defs.finding.properties.severity.enum)).toEqual(new Set(SEVERITIES));
  });

  it.each(FIXTURE_NAMES)('accepts the %s fixture and its JSON rendering', (name) => {
    expect(schemaErrors(fixture(name))).toEqual([]);
    expect(schemaErrors(JSON.parse(renderJson(fixture(name))))).toEqual([]);
  });

  it('accepts a report the real engine produced', async () => {
    const hosts = ['a', 'b', 'c', 'd'].map((name) => ({ name }));
    const run = await runFleet(hosts, async (h, ctx) => {
      ctx.step('work');
      if (h.name === 'b') throw new HostError('no route to host', 'unreachable');
      if (h.name === 'c') throw new Error('boom');
      return {
        status: 'changed',
        detail: 'done',
        findings: [{ check: 'x', severity: 'warning', message: 'm' }],
      };
    });
    const report = buildRunReport({ command: 'audit', selector: 'all', ...run });
    expect(report.hosts.map((h) => h.status)).toEqual(['changed', 'unreachable', 'failed', 'changed']);
    expect(schemaErrors(JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(schemaErrors(JSON.parse(renderJson(report)))).toEqual([]);
    expect(zodAccepts(report)).toBe(true);
  });

  it('rejects files that are not v1 reports, naming where', () => {
    expect(schemaErrors(readJson('invalid/not-a-report'))).toContain(
      " must have required property 'schemaVersion'",
    );
    expect(schemaErrors(readJson('invalid/newer-version'))).toContain(
      '/schemaVersion must be equal to constant',
    );
    expect(schemaErrors(readJson('invalid/bad-fields'))).toEqual(
      expect.arrayContaining([
        '/finishedAt must match format "date-time"',
        '/hosts/1/status must be equal to one of the allowed values',
        '/hosts/3/findings/0/severity must be equal to one of the allowed values',
        "/hosts/4 must have required property 'detail'",
      ]),
    );
  });
});

// Random reports, and the ways to break one.
const timestamp = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
const finding = fc.record({
  check: fc.string({ minLength: 1 }),
  severity: fc.constantFrom(...SEVERITIES),
  message: fc.string(),
});
const host = fc.record(
  {
    host: fc.string({ minLength: 1 }),
    status: fc.constantFrom(...HOST_STATUSES),
    durationMs: fc.nat(),
    detail: fc.string(),
    steps: fc.array(fc.record({ step: fc.string(), ms: fc.nat() }), { maxLength: 3 }),
    findings: fc.array(finding, { maxLength: 3 }),
    diff: fc.string(),
    data: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  },
  { requiredKeys: ['host', 'status', 'durationMs', 'detail', 'steps'] },
);
const report = fc.record(
  {
    schemaVersion: fc.constant(1 as const),
    command: fc.string({ minLength: 1 }),
    selector: fc.string(),
    startedAt: timestamp,
    finishedAt: timestamp,
    stopped: fc.boolean(),
    stopReason: fc.string(),
    hosts: fc.array(host, { maxLength: 4 }),
  },
  { requiredKeys: ['schemaVersion', 'command', 'selector', 'startedAt', 'finishedAt', 'stopped', 'hosts'] },
);

type Breakage = (r: Record<string, unknown>) => void;
const firstHost = (r: Record<string, unknown>) => (r.hosts as Record<string, unknown>[])[0];
const BREAKAGES: Record<string, Breakage> = {
  'no command': (r) => delete r.command,
  'empty command': (r) => (r.command = ''),
  'schemaVersion 2': (r) => (r.schemaVersion = 2),
  'stopped as a string': (r) => (r.stopped = 'no'),
  'a date without a time': (r) => (r.startedAt = '2026-01-30'),
  'hosts not an array': (r) => (r.hosts = {}),
  'an unknown status': (r) => Object.assign(firstHost(r) ?? {}, { status: 'fine' }),
  'a negative duration': (r) => Object.assign(firstHost(r) ?? {}, { durationMs: -1 }),
  'no steps': (r) => firstHost(r) && delete firstHost(r)!.steps,
  'a null finding': (r) => Object.assign(firstHost(r) ?? {}, { findings: [null] }),
  'a fatal finding': (r) =>
    Object.assign(firstHost(r) ?? {}, { findings: [{ check: 'c', severity: 'fatal', message: '' }] }),
  'data as a list': (r) => Object.assign(firstHost(r) ?? {}, { data: [] }),
};

describe('the runtime check and the published schema agree', () => {
  it('on random valid reports (both accept)', () => {
    fc.assert(
      fc.property(report, (r) => {
        expect(schemaErrors(r)).toEqual([]);
        expect(zodAccepts(r)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('on random broken reports (both reject)', () => {
    const withHost = report.filter((r) => r.hosts.length > 0);
    fc.assert(
      fc.property(withHost, fc.constantFrom(...Object.keys(BREAKAGES)), (r, name) => {
        const broken = structuredClone(r) as Record<string, unknown>;
        BREAKAGES[name]!(broken);
        expect(schemaErrors(broken), name).not.toEqual([]);
        expect(zodAccepts(broken), name).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('both keep unknown properties legal (forward compatibility within v1)', () => {
    const r = {
      ...fixture('audit-clean'),
      site: 'eu-3',
      hosts: [{ ...fixture('audit-clean').hosts[0]!, extra: 1 }],
    };
    expect(schemaErrors(r)).toEqual([]);
    expect((parseReport(JSON.stringify(r), 'x.json') as RunReport & { site: string }).site).toBe('eu-3');
  });
});
