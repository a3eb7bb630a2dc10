/**
 * fleet on the lab's RPM hosts (docs/lab.md: a Debian userland with real dnf 4, an rpm database,
 * a local repository with updateinfo, /etc/sysconfig; not RHEL), beside a Debian host in the same
 * run: facts, check, security-only, upgrade, dnf's lock held by another process, `yum` as dnf's
 * old name, and apply persisting to /etc/sysconfig.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabHost } from '../../src/lab/index.js';
import type { RunReport } from '../../src/model/result.js';
import type { UpdateResult } from '../../src/ops/update/types.js';
import { repoWithProfiles } from '../apply/helpers.js';
import { fleetOnLab } from '../support/cli.js';
import { HOLD_DNF_LOCK } from '../support/dnf-lock.js';
import { labSsh, useLab } from '../support/lab.js';

const lab = useLab({ name: 'upd-rpm', count: 3, rpm: 2 });
let dir: string;
const host = (i: number): LabHost => lab().hosts[i]!;
const sh = async (h: LabHost, cmd: string) => (await labSsh(lab(), h.address, cmd)).stdout.trim();
const rpmVersion = (h: LabHost, pkg: string) => sh(h, `rpm -q --qf '%{VERSION}' ${pkg}`);
const update = (r: RunReport | undefined, h: LabHost) =>
  r?.hosts.find((x) => x.host === h.name)?.data?.update as UpdateResult;
const names = (list: Array<{ name: string }>) => list.map((p) => p.name).sort();

describe('RPM lab hosts: dnf and yum for real, beside apt', () => {
  beforeAll(() => {
    dir = repoWithProfiles('rpm');
  });
  afterAll(async () => {
    await sh(host(2), 'rm -f /run/lock-held');
  });

  it('facts tell dnf from apt, and the RHEL path for saved rules', async () => {
    const run = await fleetOnLab(dir, lab(), 'facts', 'all');
    expect(run.code, run.stderr).toBe(0);
    const facts = Object.fromEntries(
      run.report!.hosts.map((h) => [h.host, h.data!.facts as Record<string, unknown>]),
    );
    expect(facts[host(0).name]).toMatchObject({ os: 'debian', packageManager: 'apt' });
    for (const i of [1, 2])
      expect(facts[host(i).name]).toMatchObject({ os: 'fleetlab-rpm', packageManager: 'dnf' });
  });

  it('one --check over the mixed fleet: apt and dnf hosts list their upgrades; nothing changes', async () => {
    const run = await fleetOnLab(dir, lab(), 'update', 'all', '--check');
    expect(run.code, run.stderr).toBe(0);
    expect(update(run.report, host(0))).toMatchObject({ packageManager: 'apt' });
    expect(update(run.report, host(0)).pending).toContainEqual({
      name: 'fleet-lab-canary',
      old: '1.0',
      new: '1.1',
    });
    const rpm = update(run.report, host(1));
    expect(rpm.packageManager).toBe('dnf');
    expect(names(rpm.pending)).toEqual(['fleet-lab-canary.noarch', 'fleet-lab-tool.noarch']);
    expect(rpm.pending).toContainEqual({ name: 'fleet-lab-canary.noarch', old: '1.0-1', new: '1.1-1' });
    expect(await rpmVersion(host(1), 'fleet-lab-canary')).toBe('1.0');
  });

  it('--security-only follows the repository updateinfo: the advisory package only', async () => {
    const check = await fleetOnLab(dir, lab(), 'update', host(1).name, '--security-only', '--check');
    expect(names(update(check.report, host(1)).pending)).toEqual(['fleet-lab-canary.noarch']);
    const up = await fleetOnLab(dir, lab(), 'update', host(1).name, '--security-only');
    expect(up.code, up.stderr).toBe(0);
    expect(names(update(up.report, host(1)).changed)).toEqual(['fleet-lab-canary.noarch']);
    expect(await rpmVersion(host(1), 'fleet-lab-canary')).toBe('1.1');
    expect(await rpmVersion(host(1), 'fleet-lab-tool')).toBe('1.0');
  });

  it('yum, dnf under its old name as on RHEL 8+: detected where dnf is absent, and upgrades', async () => {
    await sh(host(1), 'rm /usr/bin/dnf && ln -sf dnf-3 /usr/bin/yum');
    const facts = await fleetOnLab(dir, lab(), 'facts', host(1).name);
    expect(facts.report!.hosts[0]!.data!.facts).toMatchObject({ packageManager: 'yum' });
    const up = await fleetOnLab(dir, lab(), 'update', host(1).name);
    expect(up.code, up.stderr).toBe(0);
    expect(update(up.report, host(1))).toMatchObject({ packageManager: 'yum' });
    expect(names(update(up.report, host(1)).changed)).toEqual(['fleet-lab-tool.noarch']);
    expect(await rpmVersion(host(1), 'fleet-lab-tool')).toBe('1.1');
  });

  it("waits out dnf's lock held by another process, then upgrades", async () => {
    await labSsh(lab(), host(2).address, `sh -c '${HOLD_DNF_LOCK.replaceAll("'", "'\\''")}' sh 15`);
    expect(await sh(host(2), 'test -e /run/lock-held && echo held')).toBe('held');
    const up = await fleetOnLab(dir, lab(), 'update', host(2).name, '--lock-wait', '90s');
    expect(up.code, up.stderr).toBe(0);
    expect(names(update(up.report, host(2)).changed)).toEqual([
      'fleet-lab-canary.noarch',
      'fleet-lab-tool.noarch',
    ]);
    expect(await sh(host(2), 'test -e /run/lock-held && echo held || echo gone')).toBe('gone');
  });

  it('apply persists to /etc/sysconfig/iptables and ip6tables on an RPM host, as RHEL boots them', async () => {
    const run = await fleetOnLab(dir, lab(), 'apply', host(2).name);
    expect(run.code, run.stderr).toBe(0);
    expect(await sh(host(2), 'grep -c "fleet:" /etc/sysconfig/iptables')).not.toBe('0');
    expect(await sh(host(2), 'test -s /etc/sysconfig/ip6tables && echo v6')).toBe('v6');
    expect(await sh(host(2), 'test -e /etc/iptables/rules.v4 && echo debian-path || echo none')).toBe('none');
  });
});
