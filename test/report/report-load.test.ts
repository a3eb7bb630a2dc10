import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { jsonPath, loadReport } from '../../src/report/load-report.js';
import { fixture, fixturePath } from '../fixtures/reports/fixtures.js';

async function loadError(path: string): Promise<InputError> {
  const err = await loadReport(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('loadReport', () => {
  it('reads a saved report as it was written', async () => {
    expect(await loadReport(fixturePath('audit-mixed'))).toEqual(fixture('audit-mixed'));
  });

  it('says a file that is not a report is not one, with a hint', async () => {
    const file = fixturePath('invalid/not-a-report');
    const err = await loadError(file);
    expect(err.message).toBe(`${file}: not a fleet report (no schemaVersion and hosts)`);
    expect(err.hint).toMatch(/reports\/\*\.json/);
    expect(err.exitCode).toBe(2);
  });

  it('says a newer report needs a newer fleet', async () => {
    const err = await loadError(fixturePath('invalid/newer-version'));
    expect(err.message).toMatch(
      /written by a newer fleet \(report schemaVersion 2\); this fleet reads version 1$/,
    );
    expect(err.hint).toMatch(/upgrade/);
  });

  it('names every bad field with file:line:col and its path', async () => {
    const file = fixturePath('invalid/bad-fields');
    const err = await loadError(file);
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}:6:17 finishedAt: expected an ISO 8601 time`)),
        expect.stringMatching(new RegExp(`^${file}:\\d+:\\d+ hosts\\[1\\]\\.status: Invalid option`)),
        expect.stringMatching(
          new RegExp(`^${file}:\\d+:\\d+ hosts\\[3\\]\\.findings\\[0\\]\\.severity: Invalid option`),
        ),
        expect.stringMatching(
          new RegExp(`^${file}:\\d+:\\d+ hosts\\[4\\]\\.detail: missing \\(required\\)$`),
        ),
      ]),
    );
    const status = err.problems.find((p) => p.path === 'hosts[1].status')!;
    expect(status.pos!.line).toBeGreaterThan(6);
  });

  it('points at a JSON syntax error', async () => {
    const file = fixturePath('invalid/broken-json').replace(/\.json$/, '.txt');
    const err = await loadError(file);
    expect(err.message).toMatch(new RegExp(`^${file}:5:\\d+ not valid JSON: `));
  });

  it('says when the file cannot be read', async () => {
    const err = await loadError('/nonexistent/r.json');
    expect(err.message).toBe('/nonexistent/r.json: cannot read the report: no such file');
  });

  it('writes JSON paths the way a person reads them', () => {
    expect(jsonPath(['hosts', 2, 'findings', 0, 'severity'])).toBe('hosts[2].findings[0].severity');
    expect(jsonPath([])).toBe('');
  });
});
