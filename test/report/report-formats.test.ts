import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  formatExtension,
  formatForPath,
  parseFormat,
  REPORT_FORMATS,
  renderReport,
} from '../../src/report/formats.js';
import { renderJson } from '../../src/report/render-json.js';
import { FIXTURE_NAMES, fixture } from '../fixtures/reports/fixtures.js';

describe('renderReport', () => {
  it('knows the seven formats', () => {
    expect([...REPORT_FORMATS]).toEqual(['table', 'json', 'md', 'html', 'junit', 'nagios', 'prom']);
  });

  it.each(REPORT_FORMATS)('%s: renders every fixture to text ending in a newline', (format) => {
    for (const name of FIXTURE_NAMES) {
      const { text } = renderReport(fixture(name), format);
      expect(text.length).toBeGreaterThan(0);
      expect(text.endsWith('\n')).toBe(true);
    }
  });

  it('gives an exit code for nagios only', () => {
    for (const format of REPORT_FORMATS) {
      const { exitCode } = renderReport(fixture('audit-mixed'), format);
      expect(exitCode).toBe(format === 'nagios' ? 2 : undefined);
    }
    expect(renderReport(fixture('audit-clean'), 'nagios').exitCode).toBe(0);
  });

  it('table is the terminal summary, json the canonical report', () => {
    const table = renderReport(fixture('apply-stopped'), 'table').text;
    expect(table).toMatch(/^HOST +STATUS +DURATION +DETAIL$/m);
    expect(table).toContain('stopped: max-fail reached');
    expect(renderReport(fixture('audit-mixed'), 'json').text).toBe(renderJson(fixture('audit-mixed')));
  });
});

describe('parseFormat and formatForPath', () => {
  it('accepts the known formats and names them all when one is unknown', () => {
    expect(parseFormat('junit')).toBe('junit');
    expect(() => parseFormat('xml')).toThrow(InputError);
    try {
      parseFormat('xml');
    } catch (err) {
      expect((err as InputError).message).toBe('--format: unknown report format "xml"');
      expect((err as InputError).hint).toBe('formats: table, json, md, html, junit, nagios, prom');
    }
  });

  it('infers the format from an --out file name', () => {
    const cases: [string, string | undefined][] = [
      ['reports/a.json', 'json'],
      ['A.HTML', 'html'],
      ['out/junit.xml', 'junit'],
      ['/var/lib/node_exporter/textfile/fleet-audit.prom', 'prom'],
      ['r.md', 'md'],
      ['check.nagios.txt', 'nagios'],
      ['summary.txt', 'table'],
      ['report.pdf', undefined],
    ];
    for (const [path, format] of cases) expect(formatForPath(path), path).toBe(format);
  });

  it('round-trips: a format’s own extension infers that format', () => {
    for (const f of REPORT_FORMATS) expect(formatForPath(`x.${formatExtension(f)}`)).toBe(f);
  });
});
