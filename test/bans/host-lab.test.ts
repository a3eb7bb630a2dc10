/**
 * The ban script on a few lab hosts, through fleet's SSH layer: rules mode (hosts without
 * ipset), established flows ended with conntrack, the boot files (a host restored from them
 * alone still drops), and a large list swapped in at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBanTarget } from '../../src/bans/address.js';
import { type LabInfo, labHostExec, labProbe } from '../../src/lab/index.js';
import { pushBans } from '../../src/ops/ban/push.js';
import { type RemoteSession, SshPool } from '../../src/remote/index.js';
import { useLab } from '../support/lab.js';
import { labAddress, setMembers } from './helpers.js';

const sh = async (lab: LabInfo, host: string, script: string) => {
  const r = await labHostExec(lab, host, ['sh', '-c', script]);
  return r.stdout;
};

/** Targets reach the script canonical (bans/address.ts), as the commands send them. */
function canonical(text: string) {
  const r = parseBanTarget(text);
  if (!r.ok) throw new Error(r.message);
  return r.target;
}

describe('the ban script on lab hosts', () => {
  const lab = useLab({ name: 'bans-host', count: 3 });
  let pool: SshPool;
  const session = (i: number): Promise<RemoteSession> => {
    const h = lab().hosts[i]!;
    return pool.session({ name: h.name, address: h.address, user: 'root', identity: lab().identityPath });
  };
  const v4 = (n: number) => ({ cidr: `${labAddress(lab(), n, 4)}/32`, family: 4 as const });
  const v6 = (n: number) => ({ cidr: `${labAddress(lab(), n, 6)}/128`, family: 6 as const });

  beforeAll(() => {
    pool = new SshPool({ knownHostsFile: lab().knownHostsPath });
  });
  afterAll(async () => pool?.closeAll());

  it('rules mode: one DROP rule per ban in raw FLEET-BANS, sorted; idempotent; unban removes it', async () => {
    const s = await session(0);
    const h = lab().hosts[0]!;
    const first = await pushBans(s, { op: 'add', targets: [v4(210), v6(210), v4(209)], mode: 'rules' });
    expect(first).toMatchObject({ mode: 'rules', changed: true, added: 3, count: { 4: 2, 6: 1 } });
    const rules = await sh(
      lab(),
      h.name,
      'iptables -t raw -S FLEET-BANS; iptables -t raw -S PREROUTING | sed -n 2p',
    );
    expect(rules).toContain(
      `-A FLEET-BANS -s ${v4(209).cidr} -m comment --comment "fleet:bans:${v4(209).cidr}" -j DROP\n-A FLEET-BANS -s ${v4(210).cidr}`,
    );
    expect(rules).toContain('-A PREROUTING -m comment --comment "fleet:bans:jump" -j FLEET-BANS');
    expect(
      await labProbe(lab(), { source: labAddress(lab(), 209, 4), target: h.address, port: 22, timeout: 1 }),
    ).toBe(false);
    expect((await pushBans(s, { op: 'add', targets: [v4(209)], mode: 'rules' })).changed).toBe(false);
    const lifted = await pushBans(s, { op: 'del', targets: [v4(209), v4(210)], mode: 'rules' });
    expect(lifted).toMatchObject({ changed: true, removed: 2, count: { 4: 0 } });
    expect(
      await labProbe(lab(), { source: labAddress(lab(), 209, 4), target: h.address, port: 22, timeout: 2 }),
    ).toBe(true);
  }, 120_000);

  it('ends the banned address’s established flows (conntrack -D), and nothing else', async () => {
    const h = lab().hosts[1]!;
    const flow = (src: string) =>
      `conntrack -I -p tcp -s ${src} -d ${h.address} --sport 40000 --dport 22 --state ESTABLISHED -t 600 -u ASSURED`;
    await sh(lab(), h.name, `${flow(labAddress(lab(), 211, 4))}; ${flow(labAddress(lab(), 212, 4))}`);
    const out = await pushBans(await session(1), { op: 'add', targets: [v4(211)] });
    expect(out.flowsEnded).toBe(1);
    const left = await sh(lab(), h.name, 'conntrack -L -p tcp 2>/dev/null');
    expect(left).not.toContain(`src=${labAddress(lab(), 211, 4)} `);
    expect(left).toContain(`src=${labAddress(lab(), 212, 4)} `);
  }, 60_000);

  it('an add of one family reads and repairs that family only; the other is put first by its own ban', async () => {
    const h = lab().hosts[1]!;
    const firstRule = async (ipt: string) =>
      (await sh(lab(), h.name, `${ipt} -t raw -S PREROUTING | sed -n 2p`)).trim();
    await pushBans(await session(1), { op: 'add', targets: [v4(215), v6(215)] });
    // Another tool inserts ahead of fleet's jump in both families.
    await sh(
      lab(),
      h.name,
      'iptables -t raw -I PREROUTING 1 -p udp --dport 9 -j ACCEPT; ip6tables -t raw -I PREROUTING 1 -p udp --dport 9 -j ACCEPT',
    );
    const jump = '-A PREROUTING -m comment --comment "fleet:bans:jump" -j FLEET-BANS';
    expect(await pushBans(await session(1), { op: 'add', targets: [v4(216)] })).toMatchObject({ added: 1 });
    expect(await firstRule('iptables')).toBe(jump);
    expect(await firstRule('ip6tables')).toContain('--dport 9 -j ACCEPT');
    expect(await pushBans(await session(1), { op: 'add', targets: [v6(216)] })).toMatchObject({ added: 1 });
    expect(await firstRule('ip6tables')).toBe(jump);
    // A ban of an address with no flow ends none (the script reads the conntrack table itself).
    expect((await pushBans(await session(1), { op: 'add', targets: [v4(217)] })).flowsEnded).toBe(0);
  }, 60_000);

  it('persists to the boot files: a host restored from them alone drops the banned address', async () => {
    const h = lab().hosts[2]!;
    await pushBans(await session(2), { op: 'add', targets: [v4(213), v6(213)] });
    // Later bans and unbans of a few addresses append to the ipsets file (its lines replay in
    // order at boot); a restore from it must give what the kernel holds.
    await pushBans(await session(2), { op: 'add', targets: [v4(218), v4(219)] });
    await pushBans(await session(2), { op: 'del', targets: [v4(218)] });
    const files = await sh(lab(), h.name, 'cat /etc/iptables/ipsets /etc/iptables/rules.v4');
    expect(files).toContain(`add fleet-bans4 ${labAddress(lab(), 213, 4)}`);
    expect(files).toContain(`del fleet-bans4 ${labAddress(lab(), 218, 4)}/32`);
    expect(files).toContain('-A FLEET-BANS -m set --match-set fleet-bans4 src');
    const held = await setMembers(lab(), h.name, 4);
    await sh(
      lab(),
      h.name,
      'for t in filter raw; do iptables -t $t -F; iptables -t $t -X; ip6tables -t $t -F; ip6tables -t $t -X; done; ipset destroy; ' +
        'ipset restore < /etc/iptables/ipsets && iptables-restore < /etc/iptables/rules.v4 && ip6tables-restore < /etc/iptables/rules.v6',
    );
    expect(await setMembers(lab(), h.name, 6)).toEqual([labAddress(lab(), 213, 6)]);
    expect(await setMembers(lab(), h.name, 4)).toEqual(held);
    expect(held).toEqual(expect.arrayContaining([labAddress(lab(), 213, 4), labAddress(lab(), 219, 4)]));
    expect(held).not.toContain(labAddress(lab(), 218, 4));
    const probe = (n: number) =>
      labProbe(lab(), { source: labAddress(lab(), n, 4), target: h.address, port: 22, timeout: 1 });
    expect(await probe(213)).toBe(false);
    expect(await probe(214)).toBe(true);
  }, 60_000);

  it('sync swaps a large list in at once and removes stale entries; a second sync is unchanged', async () => {
    const s = await session(2);
    // Documentation ranges only (RFC 3849, RFC 5737): set entries, never traffic.
    const many = [
      ...Array.from({ length: 256 }, (_, i) => ({ cidr: `192.0.2.${i}/32`, family: 4 as const })),
      ...Array.from({ length: 4744 }, (_, i) => canonical(`2001:db8:0:${i.toString(16)}::1`)),
    ];
    const out = await pushBans(s, { op: 'sync', targets: many });
    // Stale: the three bans the test before left on this host (213 in both families, 219).
    expect(out).toMatchObject({ changed: true, added: 5000, removed: 3, count: { 4: 256, 6: 4744 } });
    expect(await sh(lab(), lab().hosts[2]!.name, 'ipset list -n')).not.toContain('fleet-bans4-new');
    const again = await pushBans(s, { op: 'sync', targets: many });
    expect({
      changed: again.changed,
      added: again.added,
      removed: again.removed,
      persisted: again.persisted,
    }).toEqual({
      changed: false,
      added: 0,
      removed: 0,
      persisted: [],
    });
  }, 120_000);
});
