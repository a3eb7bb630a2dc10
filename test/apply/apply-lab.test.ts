import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labProbe } from '../../src/lab/index.js';
import { fleetOnLab as fleet, tally } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { fileExists, listDir, listen, repoWithProfiles } from './helpers.js';

// Real sshd and real iptables: 10 lab hosts, all web servers.
const lab = useLab({ name: 'tapply', count: 10, group: 'web-servers' });
let dir: string;

describe('fleet apply on 10 web servers', () => {
  beforeAll(async () => {
    dir = repoWithProfiles('apply');
    for (const h of lab().hosts) await listen(lab(), h.name, [80, 8081]);
  }, 120_000);

  it('changes every host; the allowed port answers, a closed one does not; rules persist', async () => {
    const run = await fleet(dir, lab(), 'apply', 'all', '--confirm-timeout', '15');
    expect(run.code, run.stderr).toBe(0);
    expect(tally(run)).toEqual({ changed: 10 });
    const source = lab().subnet.replace(/0\/24$/, '240');
    for (const h of lab().hosts.slice(0, 3)) {
      expect(await labProbe(lab(), { source, target: h.address, port: 80 })).toBe(true);
      expect(await labProbe(lab(), { source, target: h.address, port: 8081, timeout: 1 })).toBe(false);
      expect(await fileExists(lab(), h.name, '/etc/iptables/rules.v4')).toBe(true);
    }
  });

  it('a second apply finds every host unchanged and touches nothing', async () => {
    const host = lab().hosts[0]!.name;
    const before = await listDir(lab(), host, '/var/backups/fleet');
    const run = await fleet(dir, lab(), 'apply', 'all');
    expect(run.code, run.stderr).toBe(0);
    expect(tally(run)).toEqual({ unchanged: 10 });
    expect(await listDir(lab(), host, '/var/backups/fleet')).toEqual(before);
  });

  it('every changing apply leaves a new backup, on the host and locally, up to --keep', async () => {
    const host = lab().hosts[1]!.name;
    const profile = join(dir, 'profiles', 'web-servers.yaml');
    for (let i = 0; i < 11; i++) {
      // Alternate one service port so that every apply really changes the host.
      writeFileSync(profile, `extends: base\nservices:\n  http: { port: ${8000 + i} }\n`);
      const run = await fleet(dir, lab(), 'apply', host, '--keep', '10');
      expect(run.report?.hosts[0]?.status, run.stderr).toBe('changed');
    }
    const onHost = await listDir(lab(), host, '/var/backups/fleet');
    expect(onHost.filter((f) => f.endsWith('.v4'))).toHaveLength(10);
    expect(new Set(onHost).size).toBe(onHost.length);
    const local = readdirSync(join(dir, 'backups', host)).filter((f) => f.endsWith('.v4'));
    expect(local).toHaveLength(10);
    expect(local.sort()).toEqual(onHost.filter((f) => f.endsWith('.v4')).sort());
  }, 300_000);
});
