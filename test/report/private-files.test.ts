import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banFilePath, readBanFile, writeBanFile } from '../../src/bans/file-io.js';
import { saveLocalBackup } from '../../src/ops/apply/local-backup.js';
import { buildRunReport, writeReportFile } from '../../src/report/report-file.js';

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

// Workstation files that hold a fleet's firewall: 0600 in 0700 folders, under the usual umask 022.
describe('files at rest on the workstation', () => {
  let old: number;
  let dir: string;
  beforeAll(() => {
    old = process.umask(0o022);
    dir = mkdtempSync(join(tmpdir(), 'fleet-modes-'));
  });
  afterAll(() => {
    process.umask(old);
  });

  it('backups/<host>/ and its files', async () => {
    const saved = await saveLocalBackup(
      join(dir, 'backups'),
      'web-01',
      '/x/2026-b1',
      '*filter\n',
      '*filter\n',
    );
    expect(mode(join(dir, 'backups'))).toBe('700');
    expect(mode(saved.dir)).toBe('700');
    expect(mode(join(saved.dir, '2026-b1.v4'))).toBe('600');
    expect(mode(join(saved.dir, '2026-b1.v6'))).toBe('600');
  });

  it('reports/, also when the folder was already there, open', async () => {
    mkdirSync(join(dir, 'reports'), { mode: 0o755 });
    const report = buildRunReport({
      command: 'plan',
      selector: 'all',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      stopped: false,
      results: [],
    });
    const file = await writeReportFile(join(dir, 'reports'), report);
    expect(mode(join(dir, 'reports'))).toBe('700');
    expect(mode(file)).toBe('600');
  });

  it('inventory/bans.yaml', async () => {
    const file = await readBanFile(banFilePath(dir));
    await writeBanFile(file, []);
    expect(mode(banFilePath(dir))).toBe('600');
  });
});
