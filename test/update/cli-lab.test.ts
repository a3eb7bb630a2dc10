/**
 * `fleet update` end to end on lab hosts: the real CLI program (in-process), the fan-out runner,
 * fleet's SSH layer, real apt on the hosts, and the JSON report file it writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model/result.js';
import type { UpdateResult } from '../../src/ops/update/types.js';
import { fleetOnLab } from '../support/cli.js';
import { labSsh, useLab } from '../support/lab.js';

const VERSION = 'dpkg-query -W fleet-lab-canary | cut -f2';

describe('fleet update on a lab', () => {
  const lab = useLab({ name: 'upd-cli', count: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'fleet-update-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Run the CLI; returns its exit code and the report file it wrote. */
  async function fleet(...args: string[]): Promise<{ code: number; report: RunReport }> {
    const { code, report } = await fleetOnLab(dir, lab(), 'update', 'all', ...args);
    if (!report) throw new Error('no report file written');
    return { code, report };
  }
  const update = (r: RunReport, host: string) =>
    r.hosts.find((h) => h.host === host)?.data?.update as UpdateResult;
  const version = async (address: string) => (await labSsh(lab(), address, VERSION)).stdout.trim();

  it('--check reports the pending upgrade on every host and changes nothing', async () => {
    const { code, report } = await fleet('--check', '--json');
    expect(code).toBe(0);
    expect(report.hosts.map((h) => h.status)).toEqual(['ok', 'ok', 'ok']);
    for (const h of lab().hosts) {
      expect(update(report, h.name).pending).toContainEqual({
        name: 'fleet-lab-canary',
        old: '1.0',
        new: '1.1',
      });
      expect(await version(h.address)).toBe('1.0');
    }
    expect(report.hosts[0]!.detail).toContain('fleet-lab-canary 1.0 → 1.1');
  });

  it('update upgrades, a broken repository fails its host only (exit 1), a second run has nothing to do', async () => {
    const [a, b, broken] = lab().hosts;
    await labSsh(
      lab(),
      broken!.address,
      'echo "deb [trusted=yes] file:/nonexistent-fleet-repo ./" >/etc/apt/sources.list.d/broken.list',
    );
    const first = await fleet('--json');
    expect(first.code).toBe(1);
    const status = Object.fromEntries(first.report.hosts.map((h) => [h.host, h.status]));
    expect(status).toEqual({ [a!.name]: 'changed', [b!.name]: 'changed', [broken!.name]: 'failed' });
    expect(update(first.report, a!.name).changed).toContainEqual({
      name: 'fleet-lab-canary',
      old: '1.0',
      new: '1.1',
    });
    const failed = first.report.hosts.find((h) => h.host === broken!.name)!;
    expect(failed.detail).toMatch(/^apt update failed: E: .*nonexistent-fleet-repo/);
    expect(await version(a!.address)).toBe('1.1');
    expect(await version(broken!.address)).toBe('1.0');

    await labSsh(lab(), broken!.address, 'rm /etc/apt/sources.list.d/broken.list');
    const second = await fleet('--json', '--limit', `${a!.name},${b!.name}`);
    expect(second.code).toBe(0);
    expect(second.report.hosts.map((h) => [h.status, h.detail])).toEqual([
      ['unchanged', 'nothing to do'],
      ['unchanged', 'nothing to do'],
    ]);
  });

  it('rejects bad flags before touching any host (exit 2)', async () => {
    const run = await fleetOnLab(dir, lab(), 'update', 'all', '--check', '--reboot-if-needed');
    expect(run.code).toBe(2);
  });
});
