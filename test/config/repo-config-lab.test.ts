/**
 * fleet.yaml on a real run (lab): `formats:` leaves the report in those formats beside
 * reports/<time>-<command>.json; `--formats` on the command line replaces them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetOnLab } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ name: 'conf', count: 1 });
const dir = mkdtempSync(path.join(tmpdir(), 'fleet-conf-lab-'));
writeFileSync(path.join(dir, 'fleet.yaml'), 'formats: [md, junit]\ncommands:\n  facts: { concurrency: 1 }\n');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet.yaml on a run', () => {
  it('writes the report in its formats beside the JSON file', async () => {
    const r = await fleetOnLab(dir, lab(), 'facts', 'all');
    expect(r.code, r.stderr).toBe(0);
    const base = r.reportPath!.replace(/\.json$/, '');
    const host = lab().hosts[0]!.name;
    expect(readFileSync(`${base}.md`, 'utf8')).toContain(host);
    expect(readFileSync(`${base}.xml`, 'utf8')).toMatch(new RegExp(`<testcase[^>]*name="${host}"`));
    expect(r.stderr).toContain(`report: ${r.reportPath} ${base}.md ${base}.xml`);
  });

  it('lets --formats on the command line win', async () => {
    const r = await fleetOnLab(dir, lab(), 'facts', 'all', '--formats', 'prom');
    expect(r.code, r.stderr).toBe(0);
    const base = r.reportPath!.replace(/\.json$/, '');
    expect(existsSync(`${base}.prom`)).toBe(true);
    expect(existsSync(`${base}.md`)).toBe(false);
  });
});
