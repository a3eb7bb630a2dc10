/** A 3-host lab: real sshd, hostnames, files, iptables and apt, each host on its own. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labHostExec, labProbe, labStartSshd, labStatus, labStopSshd } from '../../src/lab/index.js';
import { labSsh, useLab } from '../support/lab.js';

describe('lab of 3 hosts', () => {
  const lab = useLab({ name: 'tlab', count: 3 });

  it('every host answers SSH over v4 and v6 with strict host key checking, as itself', async () => {
    const names: string[] = [];
    for (const h of lab().hosts) {
      const v4 = await labSsh(lab(), h.address, 'hostname');
      expect(v4.stderr).toBe('');
      expect(v4.code).toBe(0);
      names.push(v4.stdout.trim());
      const v6 = await labSsh(lab(), h.address6, 'hostname');
      expect(v6.code).toBe(0);
      expect(v6.stdout.trim()).toBe(h.name);
    }
    expect(names).toEqual(lab().hosts.map((h) => h.name));
    expect(new Set(names).size).toBe(3);
  });

  it('a host key that is not in known_hosts is refused (the check is real)', async () => {
    const [a, b] = lab().hosts;
    // Ask for host a's address but expect host b's key: swap by asking ssh to use b's name as alias.
    const r = await labSsh(lab(), a!.address, 'true', { extra: ['-o', `HostKeyAlias=${b!.name}`] });
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('each host has its own pid 1, /proc, /dev and /run', async () => {
    const r = await labSsh(
      lab(),
      lab().hosts[0]!.address,
      'cat /proc/1/cmdline | tr "\\0" " "; ls /dev; findmnt -n -o FSTYPE /run',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fleet-lab-init');
    for (const dev of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'ptmx', 'pts'])
      expect(r.stdout).toContain(dev);
    expect(r.stdout).toMatch(/tmpfs\s*$/);
  });

  it('a file written on one host is absent on the others', async () => {
    const [a, b, c] = lab().hosts;
    expect((await labSsh(lab(), a!.address, 'echo hello > /etc/fleet-test-marker')).code).toBe(0);
    expect((await labSsh(lab(), a!.address, 'cat /etc/fleet-test-marker')).stdout).toBe('hello\n');
    for (const h of [b!, c!]) {
      const r = await labSsh(lab(), h.address, 'test -e /etc/fleet-test-marker');
      expect(r.code).toBe(1);
    }
  });

  it('an iptables rule on one host is absent on the others and really blocks a probe', async () => {
    const [a, b] = lab().hosts;
    const source = lab().subnet.replace(/0\/24$/, '200');
    expect(await labProbe(lab(), { source, target: a!.address, port: 22 })).toBe(true);
    const add = await labSsh(
      lab(),
      a!.address,
      `iptables -I INPUT -s ${source} -p tcp --dport 22 -j REJECT --reject-with tcp-reset`,
    );
    expect(add.code).toBe(0);
    expect((await labSsh(lab(), a!.address, 'iptables -S INPUT')).stdout).toContain(source);
    expect((await labSsh(lab(), b!.address, 'iptables -S INPUT')).stdout).not.toContain(source);
    expect(await labProbe(lab(), { source, target: a!.address, port: 22 })).toBe(false);
    expect(await labProbe(lab(), { source, target: b!.address, port: 22 })).toBe(true);
    // Another source still gets through to host a: the rule is exact.
    const other = lab().subnet.replace(/0\/24$/, '201');
    expect(await labProbe(lab(), { source: other, target: a!.address, port: 22 })).toBe(true);
    // IPv6: ip6tables on host b only.
    const source6 = lab().workstation.v6.replace(/::1$/, '::200');
    expect(
      (await labSsh(lab(), b!.address, `ip6tables -I INPUT -s ${source6} -p tcp --dport 22 -j DROP`)).code,
    ).toBe(0);
    expect(await labProbe(lab(), { source: source6, target: b!.address6, port: 22, timeout: 2 })).toBe(false);
    expect(await labProbe(lab(), { source: source6, target: a!.address6, port: 22 })).toBe(true);
    await labSsh(
      lab(),
      a!.address,
      `iptables -D INPUT -s ${source} -p tcp --dport 22 -j REJECT --reject-with tcp-reset`,
    );
    await labSsh(lab(), b!.address, `ip6tables -D INPUT -s ${source6} -p tcp --dport 22 -j DROP`);
    expect(await labProbe(lab(), { source, target: a!.address, port: 22 })).toBe(true);
  });

  it('the lab package upgrades through apt on one host only', async () => {
    const [a, b] = lab().hosts;
    const version = 'dpkg-query -W fleet-lab-canary | cut -f2';
    expect((await labSsh(lab(), a!.address, version)).stdout.trim()).toBe('1.0');
    const up = await labSsh(
      lab(),
      a!.address,
      'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --only-upgrade fleet-lab-canary',
      { timeoutMs: 120_000 },
    );
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('file:/opt/fleet-lab-repo');
    expect(up.stdout).not.toMatch(/https?:\/\//); // no network source in a lab host
    expect((await labSsh(lab(), a!.address, version)).stdout.trim()).toBe('1.1');
    expect((await labSsh(lab(), a!.address, 'fleet-lab-canary')).stdout.trim()).toBe('fleet-lab-canary 1.1');
    expect((await labSsh(lab(), b!.address, version)).stdout.trim()).toBe('1.0');
  });

  it('has a sudo user and a user without sudo, both with the lab key', async () => {
    const h = lab().hosts[1]!;
    const yes = await labSsh(lab(), h.address, 'sudo -n id -u', { user: 'fleet-sudo' });
    expect(yes.stdout.trim()).toBe('0');
    const no = await labSsh(lab(), h.address, 'id -un; sudo -n id -u', { user: 'fleet-nosudo' });
    expect(no.stdout.trim()).toBe('fleet-nosudo');
    expect(no.code).not.toBe(0);
  });

  it('labHostExec runs inside the host; stopping sshd shows in status, and it starts again', async () => {
    const h = lab().hosts[2]!;
    const r = await labHostExec(lab(), h.name, ['hostname']);
    expect(r.stdout.trim()).toBe(h.name);
    await labStopSshd(lab(), h.name);
    let s = await labStatus(lab().name);
    expect(s.hosts.find((x) => x.name === h.name)).toMatchObject({ running: true, sshd: false });
    expect(s.hosts.filter((x) => x.sshd)).toHaveLength(2);
    expect((await labSsh(lab(), h.address, 'true')).code).toBe(255);
    await labStartSshd(lab(), h.name);
    s = await labStatus(lab().name);
    expect(s.hosts.every((x) => x.sshd)).toBe(true);
    expect((await labSsh(lab(), h.address, 'hostname')).stdout.trim()).toBe(h.name);
  });

  it('writes an inventory with groups, management sources and known_hosts for every host', async () => {
    const inv = parse(await readFile(lab().inventoryPath, 'utf8'));
    expect(inv.settings.known_hosts).toBe(lab().knownHostsPath);
    expect(inv.settings.management_sources).toEqual([
      `${lab().workstation.v4}/32`,
      `${lab().workstation.v6}/128`,
    ]);
    expect(inv.defaults).toEqual({ user: 'root', identity: lab().identityPath });
    expect(inv.groups.bastion).toEqual({ profile: 'bastion' });
    expect(inv.groups['web-servers']).toEqual({ profile: 'web-servers' });
    expect(inv.groups.lab.children).toEqual(['web-servers', 'bastion']);
    expect(inv.hosts[`${lab().name}-01`].groups).toEqual(['bastion']);
    expect(inv.hosts[`${lab().name}-03`]).toEqual({
      address: lab().hosts[2]!.address,
      groups: ['web-servers'],
      vars: { address6: lab().hosts[2]!.address6 },
    });
    const kh = await readFile(lab().knownHostsPath, 'utf8');
    for (const h of lab().hosts) expect(kh).toContain(`${h.name},${h.address},${h.address6} ssh-ed25519 `);
  });
});
