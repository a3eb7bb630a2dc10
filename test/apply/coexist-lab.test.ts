/**
 * Sharing a host, on real hosts (docs/coexistence.md): Docker's nat rules, Calico-like and
 * Tailscale-like chains stay in place and in order when a profile extending the shipped base
 * adds its own nat rule; a profile that would delete Tailscale's chains is refused until it
 * takes Tailscale over; a host where ufw is active is refused until the profile takes ufw over,
 * and the refused apply writes nothing to it (rules and ipsets as they were); so is a host
 * where firewalld runs (a stand-in process: see the test), but not one with a stale pid file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { fleetOnLab as fleet, tally } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { firewallState, hostRules, repoWithProfiles } from './helpers.js';

// What Docker, Calico and Tailscale leave on a host, added the way they add it.
const SHARED = [
  'iptables -t nat -N DOCKER',
  'iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  'iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
  'iptables -t nat -A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE',
  'iptables -t nat -A POSTROUTING -s 172.18.0.3/32 -d 172.18.0.3/32 -p tcp -m tcp --dport 5432 -j MASQUERADE',
  'iptables -t nat -A DOCKER -i docker0 -j RETURN',
  'iptables -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80',
  'iptables -N cali-INPUT',
  'iptables -N cali-FORWARD',
  'iptables -A cali-INPUT -i cali+ -m mark --mark 0x10000/0x10000 -j ACCEPT',
  'iptables -A cali-FORWARD -i cali+ -j ACCEPT',
  'iptables -I INPUT 1 -m comment --comment cali:Cz_u1IQiXIMmKD4c -j cali-INPUT',
  'iptables -I FORWARD 1 -m comment --comment cali:wUHhoiAYhphO9Mso -j cali-FORWARD',
  'iptables -N ts-input',
  'iptables -N ts-forward',
  'iptables -A ts-input -i tailscale0 -j ACCEPT',
  'iptables -A ts-forward -o tailscale0 -j ACCEPT',
  'iptables -A INPUT -j ts-input',
  'iptables -A FORWARD -j ts-forward',
  'iptables -t nat -N ts-postrouting',
  'iptables -t nat -A POSTROUTING -j ts-postrouting',
  'iptables -t nat -A ts-postrouting -m mark --mark 0x40000/0xff0000 -j MASQUERADE',
].join(' && ');

const UFW_ACTIVE = [
  'iptables -N ufw-before-input',
  'iptables -A ufw-before-input -i lo -j ACCEPT',
  'iptables -A INPUT -j ufw-before-input',
  'mkdir -p /etc/ufw',
  'echo ENABLED=yes > /etc/ufw/ufw.conf',
].join(' && ');

const WITH_NAT = `extends: base
raw:
  - { table: nat, chain: POSTROUTING, args: "-s 10.50.0.0/24 -o eth9 -j MASQUERADE", family: 4 }
`;
// Not extending base: it preserves only Calico's chains.
const ALONE = `ssh: { sources: [management] }
preserve: [calico]
`;

const lab = useLab({ name: 'tcoexist', count: 2, group: 'web-servers' });
let dir: string;

const save = async (host: string, table: string) =>
  (await labHostExec(lab(), host, ['iptables', '-t', table, '-S'])).stdout;
const lines = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix));
const useProfile = (yaml: string) => writeFileSync(join(dir, 'profiles', 'web-servers.yaml'), yaml);

describe('sharing the host with other tools', () => {
  let shared: string;
  let ufw: string;
  beforeAll(async () => {
    dir = repoWithProfiles('coexist');
    shared = lab().hosts[0]!.name;
    ufw = lab().hosts[1]!.name;
    expect((await labHostExec(lab(), shared, ['sh', '-c', SHARED])).ok).toBe(true);
    expect((await labHostExec(lab(), ufw, ['sh', '-c', UFW_ACTIVE])).ok).toBe(true);
  });

  it('a raw nat rule keeps Docker’s nat rules and their order; Calico and Tailscale chains stay', async () => {
    useProfile(WITH_NAT);
    const nat = await save(shared, 'nat');
    const filter = await save(shared, 'filter');
    const run = await fleet(dir, lab(), 'apply', shared);
    expect(tally(run), run.stderr).toEqual({ changed: 1 });
    expect(run.report?.hosts[0]?.detail).toContain('calico, docker, tailscale: ');
    const after = await save(shared, 'nat');
    expect(lines(after, '-A POSTROUTING')).toEqual([
      ...lines(nat, '-A POSTROUTING'),
      '-A POSTROUTING -s 10.50.0.0/24 -o eth9 -m comment --comment "fleet:web-servers:raw.1" -j MASQUERADE',
    ]);
    for (const p of ['-A PREROUTING', '-A DOCKER', '-A ts-postrouting'])
      expect(lines(after, p), p).toEqual(lines(nat, p));
    const f = await save(shared, 'filter');
    for (const p of ['-A cali-INPUT', '-A cali-FORWARD', '-A ts-input', '-A ts-forward'])
      expect(lines(f, p), p).toEqual(lines(filter, p));
    expect(lines(f, '-A INPUT')[0]).toContain('-j cali-INPUT');
    expect(lines(f, '-A INPUT')).toContain('-A INPUT -j ts-input');

    const again = await fleet(dir, lab(), 'apply', shared);
    expect(tally(again), again.stderr).toEqual({ unchanged: 1 });
    const plan = await fleet(dir, lab(), 'plan', shared);
    expect(plan.stdout).toContain(`${shared} shares: calico, docker, tailscale: `);
  });

  it('refuses to delete Tailscale’s chains until the profile takes Tailscale over', async () => {
    useProfile(ALONE);
    const before = await hostRules(lab(), shared);
    const plan = await fleet(dir, lab(), 'plan', shared);
    expect(plan.report?.hosts[0]?.status).toBe('failed');
    expect(plan.report?.hosts[0]?.detail).toContain(
      "refused: the profile would delete tailscale's 2 chains (filter/ts-forward, filter/ts-input)",
    );
    const refused = await fleet(dir, lab(), 'apply', shared);
    expect(tally(refused), refused.stderr).toEqual({ failed: 1 });
    expect(refused.report?.hosts[0]?.detail).toContain('the tailnet loses its inbound and forwarded traffic');
    expect(await hostRules(lab(), shared)).toEqual(before);

    useProfile(`${ALONE}takeover: [tailscale]\n`);
    const run = await fleet(dir, lab(), 'apply', shared);
    expect(tally(run), run.stderr).toEqual({ changed: 1 });
    const filter = await save(shared, 'filter');
    expect(filter).not.toContain('ts-input');
    expect(filter).toContain('-A cali-INPUT');
    const nat = await save(shared, 'nat');
    expect(nat).not.toContain('ts-postrouting');
    expect(nat).not.toContain('fleet:');
    expect(lines(nat, '-A POSTROUTING')).toHaveLength(3); // Docker's, in their order
  });

  it('refuses a host where ufw is active until the profile takes ufw over', async () => {
    useProfile('extends: base\n');
    const before = await firewallState(lab(), ufw);
    const run = await fleet(dir, lab(), 'apply', ufw);
    expect(tally(run), run.stderr).toEqual({ failed: 1 });
    expect(run.report?.hosts[0]?.detail).toMatch(/refused: ufw is active on this host/);
    // nothing written before the refusal: no ban sets created, no rule changed, in both families
    expect(await firewallState(lab(), ufw)).toEqual(before);
    expect(before['ipset save']).not.toContain('fleet-bans');

    useProfile('extends: base\ntakeover: [ufw]\n');
    const taken = await fleet(dir, lab(), 'apply', ufw);
    expect(tally(taken), taken.stderr).toEqual({ changed: 1 });
    expect(await save(ufw, 'filter')).not.toContain('ufw-before-input');
  });

  // A stand-in, said so: the real firewalld needs D-Bus, which the lab's base root lacks. It is a
  // live process called firewalld with the pid file firewalld writes where systemd does not run
  // it — what the facts script looks for on such a host (docs/coexistence.md).
  it('refuses a host where firewalld runs (its pid file, a live process of that name), not a stale pid file', async () => {
    const start = [
      'cp /bin/sleep /usr/sbin/firewalld && mkdir -p /run/firewalld || exit 1',
      '/usr/sbin/firewalld 300 </dev/null >/dev/null 2>&1 &',
      'echo $! > /run/firewalld/firewalld.pid',
    ].join('\n');
    expect((await labHostExec(lab(), ufw, ['sh', '-c', start])).ok).toBe(true);
    const before = await firewallState(lab(), ufw);
    const run = await fleet(dir, lab(), 'apply', ufw);
    expect(tally(run), run.stderr).toEqual({ failed: 1 });
    expect(run.report?.hosts[0]?.detail).toMatch(/refused: firewalld is active on this host/);
    expect(await firewallState(lab(), ufw)).toEqual(before);
    const facts = await fleet(dir, lab(), 'facts', ufw);
    expect(facts.report?.hosts[0]?.detail).toContain('firewalld active');

    // firewalld gone, its pid file left behind with a pid another process has now (init's)
    const stale = 'kill "$(cat /run/firewalld/firewalld.pid)" && echo 1 > /run/firewalld/firewalld.pid';
    expect((await labHostExec(lab(), ufw, ['sh', '-c', stale])).ok).toBe(true);
    const again = await fleet(dir, lab(), 'apply', ufw);
    expect(tally(again), again.stderr).toEqual({ unchanged: 1 });
  });
});
