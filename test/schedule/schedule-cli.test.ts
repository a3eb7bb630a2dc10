/**
 * `fleet schedule audit` through the CLI (in process): it checks the selector against the fleet
 * before printing anything, prints what --install writes, and --install --no-enable writes the
 * unit files (systemctl is not run; no systemd here to run it).
 */
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetCli } from '../support/cli.js';

const INVENTORY = `settings:
  management_sources: [10.213.0.1/32]
groups:
  web-servers: { profile: web-servers }
hosts:
  web-01: { address: 192.0.2.11, groups: [web-servers] }
  web-02: { address: 192.0.2.12, groups: [web-servers] }
`;

describe('fleet schedule audit', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-schedule-'));
    await cp('profiles', join(dir, 'profiles'), { recursive: true });
    await mkdir(join(dir, 'inventory'));
    await writeFile(join(dir, 'inventory', 'hosts.yaml'), INVENTORY);
  });

  it('a selector that picks nothing, a bad span, a bad format: exit 2, nothing printed', async () => {
    for (const args of [
      ['wbe-*', '--every', '1d'],
      ['web-*', '--every', 'daily'],
      ['web-*', '--every', '1d', '--format', 'yaml'],
      ['web-*', '--every', '90m', '--cron'],
    ]) {
      const r = await fleetCli(dir, 'schedule', 'audit', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('prints the units; --install --no-enable writes exactly them', async () => {
    const units = join(dir, 'units');
    const args = [
      'schedule',
      'audit',
      'web-*',
      '--every',
      '6h',
      '--out',
      'out/audit.prom',
      '--unit-dir',
      units,
    ];
    const printed = await fleetCli(dir, ...args);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`# ---- ${join(units, 'fleet-audit.service')}`);
    expect(printed.stdout).toContain(
      `"-C" "${dir}" "audit" "web-*" "--out" "${join(process.cwd(), 'out/audit.prom')}"`,
    );
    const installed = await fleetCli(dir, ...args, '--install', '--no-enable');
    expect(installed.code, installed.stderr).toBe(0);
    const service = await readFile(join(units, 'fleet-audit.service'), 'utf8');
    const timer = await readFile(join(units, 'fleet-audit.timer'), 'utf8');
    expect(printed.stdout).toContain(service);
    expect(printed.stdout).toContain(timer);
    expect(timer).toContain('OnCalendar=*-*-* 00/6:00:00');
  });
});
