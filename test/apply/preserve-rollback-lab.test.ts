import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { fleetOnLab as fleet, tally } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { hostRules, repoWithProfiles } from './helpers.js';

// What Docker and fail2ban leave on a host, added the way they add it (iptables commands).
const FOREIGN = [
  'iptables -N DOCKER-USER',
  'iptables -A DOCKER-USER -s 192.0.2.66/32 -j DROP',
  'iptables -A DOCKER-USER -j RETURN',
  'iptables -A FORWARD -j DOCKER-USER',
  'iptables -N f2b-sshd',
  'iptables -A f2b-sshd -s 198.51.100.23/32 -j REJECT --reject-with icmp-port-unreachable',
  'iptables -A f2b-sshd -j RETURN',
  'iptables -I INPUT -p tcp -m multiport --dports 22 -j f2b-sshd',
].join(' && ');

const lab = useLab({ name: 'tpreserve', count: 2, group: 'web-servers' });
let dir: string;

const chainOf = async (host: string, chain: string) =>
  (await labHostExec(lab(), host, ['iptables', '-S', chain])).stdout;

describe('foreign chains, backups, rollback and restore', () => {
  beforeAll(async () => {
    dir = repoWithProfiles('preserve');
    for (const h of lab().hosts) await labHostExec(lab(), h.name, ['sh', '-c', FOREIGN]);
  });

  it('leaves DOCKER-USER and f2b-sshd, and the jumps to them, exactly as they were', async () => {
    const host = lab().hosts[0]!.name;
    const docker = await chainOf(host, 'DOCKER-USER');
    const f2b = await chainOf(host, 'f2b-sshd');
    const run = await fleet(dir, lab(), 'apply', 'all');
    expect(tally(run), run.stderr).toEqual({ changed: 2 });
    expect(await chainOf(host, 'DOCKER-USER')).toBe(docker);
    expect(await chainOf(host, 'f2b-sshd')).toBe(f2b);
    expect(await chainOf(host, 'FORWARD')).toContain('-A FORWARD -j DOCKER-USER');
    expect(await chainOf(host, 'INPUT')).toContain('-j f2b-sshd');
    expect(await chainOf(host, 'INPUT')).toContain('-j FLEET-INPUT');
  });

  it('rollback restores the rules from before the last apply, through the safe path', async () => {
    const host = lab().hosts[1]!.name;
    const run0 = await fleet(dir, lab(), 'backups', host);
    const names = (run0.report!.hosts[0]!.data!.backups as { name: string }[]).map((b) => b.name);
    expect(names).toHaveLength(1);
    const applied = await hostRules(lab(), host);
    const run = await fleet(dir, lab(), 'rollback', host);
    expect(run.report?.hosts[0]?.status, run.stderr).toBe('changed');
    expect(run.report?.hosts[0]?.detail).toContain(names[0]);
    const back = await hostRules(lab(), host);
    expect(back).not.toEqual(applied);
    expect(back).not.toContain('FLEET-INPUT');
    expect(back).toContain('-A f2b-sshd -s 198.51.100.23/32');
  });

  it('restore --at picks a backup by name; an unknown time is refused before connecting', async () => {
    const host = lab().hosts[1]!.name;
    const list = await fleet(dir, lab(), 'backups', host);
    const names = (list.report!.hosts[0]!.data!.backups as { name: string }[]).map((b) => b.name);
    expect(names).toHaveLength(2);
    const run = await fleet(dir, lab(), 'restore', host, '--at', names[1]!);
    expect(run.report?.hosts[0]?.status, run.stderr).toBe('changed');
    expect(await hostRules(lab(), host)).toContain('FLEET-INPUT');
    const bad = await fleet(dir, lab(), 'restore', host, '--at', 'yesterday-ish');
    expect(bad.code).toBe(2);
    expect(bad.report).toBeUndefined();
  });
});
