import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hostHealth } from '../../src/report/render-common.js';
import { junitOutcome, renderJunit, xml } from '../../src/report/render-junit.js';
import { renderNagios } from '../../src/report/render-nagios.js';
import { FIXTURE_NAMES, type FixtureName, fixture } from '../fixtures/reports/fixtures.js';

interface ParsedCase {
  name: string;
  classname: string;
  time: string;
  failure: { type: string; message: string; text: string } | null;
  skipped: boolean;
  out: string;
}
interface Parsed {
  root: string;
  suites: { name: string; tests: string; failures: string; skipped: string; errors: string }[];
  properties: Record<string, string>;
  cases: ParsedCase[];
}

// A real XML parser (Python's expat via ElementTree): a well-formedness error fails the test.
const PARSE = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def case(c):
    f = c.find('failure')
    return {'name': c.get('name'), 'classname': c.get('classname'), 'time': c.get('time'),
            'failure': None if f is None else {'type': f.get('type'), 'message': f.get('message'), 'text': f.text or ''},
            'skipped': c.find('skipped') is not None, 'out': c.findtext('system-out') or ''}
print(json.dumps({'root': root.tag,
  'suites': [dict(s.attrib) for s in root.iter('testsuite')],
  'properties': {p.get('name'): p.get('value') for p in root.iter('property')},
  'cases': [case(c) for c in root.iter('testcase')]}))
`;

const parsedCache = new Map<string, Parsed>();

function parseXml(text: string): Parsed {
  const cached = parsedCache.get(text);
  if (cached) return structuredClone(cached);
  const r = spawnSync('python3', ['-c', PARSE], { input: text, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`XML did not parse: ${r.stderr}`);
  const parsed = JSON.parse(r.stdout) as Parsed;
  parsedCache.set(text, parsed);
  return structuredClone(parsed);
}

describe('renderJunit', () => {
  it.each(FIXTURE_NAMES)('%s: is well-formed XML with a testcase per host', (name: FixtureName) => {
    const report = fixture(name);
    const parsed = parseXml(renderJunit(report));
    expect(parsed.root).toBe('testsuites');
    expect(parsed.suites).toHaveLength(1);
    expect(parsed.cases.map((c) => c.name)).toEqual(report.hosts.map((h) => h.host));
    expect(Number(parsed.suites[0]!.tests)).toBe(report.hosts.length);
  });

  it('fails exactly the hosts the Nagios output names as CRITICAL or WARNING', () => {
    const report = fixture('audit-mixed');
    const parsed = parseXml(renderJunit(report));
    const failed = parsed.cases.filter((c) => c.failure).map((c) => c.name);
    const nagiosNamed = renderNagios(report)
      .split('\n')
      .map((l) => /^(CRITICAL|WARNING) ([^:]+):/.exec(l)?.[2])
      .filter((h): h is string => h !== undefined);
    expect(failed.sort()).toEqual(nagiosNamed.sort());
    expect(failed.sort()).toEqual(['db-02', 'lb-01', 'web-03', 'web-05']);
    expect(parsed.suites[0]!.failures).toBe('4');
  });

  it('types a failure by bad status, else by worst severity, and lists the findings', () => {
    const cases = parseXml(renderJunit(fixture('audit-mixed'))).cases;
    const byName = Object.fromEntries(cases.map((c) => [c.name, c]));
    expect(byName['lb-01']!.failure).toMatchObject({
      type: 'unreachable',
      message: expect.stringMatching(/^unreachable: connect/),
    });
    expect(byName['web-03']!.failure!.type).toBe('critical');
    expect(byName['web-03']!.failure!.text).toContain(
      'critical policy-input-drop: INPUT policy is ACCEPT (expected DROP)',
    );
    expect(byName['web-05']!.failure!.type).toBe('warning');
    expect(byName['web-03']!.out).toContain('+:INPUT DROP [0:0]');
    expect(byName['web-01']!.failure).toBeNull();
    expect(byName['web-01']!.out).toContain('info package-updates');
  });

  it('marks skipped hosts <skipped/>, not failed, and carries run properties', () => {
    const report = fixture('apply-stopped');
    const parsed = parseXml(renderJunit(report));
    expect(parsed.cases.find((c) => c.name === 'web-05')).toMatchObject({ skipped: true, failure: null });
    expect(parsed.suites[0]).toMatchObject({ failures: '2', skipped: '1', errors: '0' });
    expect(parsed.properties).toMatchObject({
      command: 'apply',
      stopped: 'true',
      stopReason: report.stopReason,
    });
    expect(report.hosts.map(junitOutcome)).toEqual(['passed', 'passed', 'failed', 'failed', 'skipped']);
  });

  it('carries hostile values through exactly (control characters aside)', () => {
    const report = fixture('hostile');
    const parsed = parseXml(renderJunit(report));
    expect(parsed.cases[0]!.name).toBe('<script>alert("host")</script>');
    expect(parsed.cases[1]!.name).toBe('web-"quoted"\\back');
    expect(parsed.cases[0]!.failure!.message).toBe(
      'failed: a & b < c > d "q" \'s\' | pipe \\ backslash\nsecond line\ufffdctl',
    );
    expect(parsed.cases[0]!.out).toContain('ends ]]> cdata & <!-- comment -->');
    expect(parsed.properties.selector).toBe('web-*|"x"');
    expect(hostHealth(report.hosts[1]!)).toBe('warning');
  });

  it('replaces characters XML 1.0 cannot carry', () => {
    expect(xml('a\u0000b\u001fc\ud800d\uffff')).toBe('a\ufffdb\ufffdc\ufffdd\ufffd');
    expect(xml('emoji \ud83d\ude00 stays')).toBe('emoji \ud83d\ude00 stays');
  });
});
