/**
 * `fleet ban` end to end on 6 lab hosts: the real CLI (in process), fleet's SSH layer, the
 * hosts' own iptables/ipset, and probes from lab namespaces holding the banned source address.
 * The steps build on each other, in order.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBanFile } from '../../src/bans/file-io.js';
import { type LabInfo, labProbe, labStartSshd, labStopSshd } from '../../src/lab/index.js';
import { useLab } from '../support/lab.js';
import { fleet, labAddress, setMembers, statuses, tally, tempRepo } from './helpers.js';

const N = 6;

/** Probe every host (one after another: one source address is one MAC on the bridge). */
async function reachable(lab: LabInfo, source: string, hosts = lab.hosts): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const h of hosts) {
    const target = source.includes(':') ? h.address6 : h.address;
    out.push(await labProbe(lab, { source, target, port: 22, timeout: 3 }));
  }
  return out;
}

describe('fleet ban on 6 lab hosts', () => {
  const lab = useLab({ name: 'bans6', count: N });
  const dir = tempRepo('bans6');
  const banned4 = () => labAddress(lab(), 200, 4);
  const banned6 = () => labAddress(lab(), 200, 6);
  const other4 = () => labAddress(lab(), 201, 4);
  const other6 = () => labAddress(lab(), 201, 6);
  const bans = async () =>
    (await readBanFile(join(dir, 'inventory', 'bans.yaml'))).entries.map((e) => e.cidr);

  beforeAll(() =>
    cpSync(join(import.meta.dirname, 'fixtures', 'profiles'), join(dir, 'profiles'), { recursive: true }),
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bans an IPv4 and an IPv6 address: every host drops them, other addresses still get through', async () => {
    const r = await fleet(dir, lab(), 'ban', banned4(), banned6(), '--reason', 'lab test', '--ttl', '1h');
    expect(r.code, r.stderr).toBe(0);
    expect(tally(r)).toEqual({ changed: N });
    expect(await bans()).toEqual([`${banned4()}/32`, `${banned6()}/128`]);
    const [d4, d6, o4, o6] = await Promise.all([
      reachable(lab(), banned4()),
      reachable(lab(), banned6()),
      reachable(lab(), other4()),
      reachable(lab(), other6()),
    ]);
    expect(d4).toEqual(Array(N).fill(false));
    expect(d6).toEqual(Array(N).fill(false));
    expect(o4).toEqual(Array(N).fill(true));
    expect(o6).toEqual(Array(N).fill(true));
  }, 300_000);

  it('a second ban of the same addresses is unchanged everywhere', async () => {
    const r = await fleet(dir, lab(), 'ban', banned4(), banned6());
    expect(r.code, r.stderr).toBe(0);
    expect(tally(r)).toEqual({ unchanged: N });
  }, 120_000);

  it('fleet apply afterwards keeps the bans, and after a further ban apply has nothing to change', async () => {
    const hosts = lab().hosts;
    const applied = await fleet(dir, lab(), 'apply', 'all', '--concurrency', '10');
    expect(applied.code, applied.stderr).toBe(0);
    expect(tally(applied), JSON.stringify(applied.report?.hosts.slice(0, 2))).toEqual({ changed: N });
    expect(await reachable(lab(), banned4())).toEqual(Array(N).fill(false));
    expect(await reachable(lab(), banned6(), hosts.slice(0, 3))).toEqual([false, false, false]);
    expect(await reachable(lab(), other4(), hosts.slice(0, 3))).toEqual([true, true, true]);
    expect((await fleet(dir, lab(), 'ban', labAddress(lab(), 202, 4))).code).toBe(0);
    const again = await fleet(dir, lab(), 'apply', 'all', '--concurrency', '10');
    expect(again.code, again.stderr).toBe(0);
    expect(tally(again)).toEqual({ unchanged: N });
    expect(await reachable(lab(), labAddress(lab(), 202, 4), hosts.slice(0, 3))).toEqual([
      false,
      false,
      false,
    ]);
  }, 600_000);

  it('unban lifts the ban on every host', async () => {
    const r = await fleet(dir, lab(), 'unban', banned4());
    expect(r.code, r.stderr).toBe(0);
    expect(tally(r)).toEqual({ changed: N });
    expect(await bans()).not.toContain(`${banned4()}/32`);
    expect(await reachable(lab(), banned4())).toEqual(Array(N).fill(true));
    expect(await reachable(lab(), banned6(), lab().hosts.slice(0, 3))).toEqual([false, false, false]);
  }, 300_000);

  it('bans expire drops a ban past its ttl from the list (the hosts lifted it already)', async () => {
    const short = labAddress(lab(), 203, 4);
    expect((await fleet(dir, lab(), 'ban', short, '--ttl', '15s')).code).toBe(0);
    expect(await setMembers(lab(), lab().hosts[4]!.name)).toContain(short);
    await new Promise((r) => setTimeout(r, 16_000));
    const r = await fleet(dir, lab(), 'bans', 'expire');
    expect(r.code, r.stderr).toBe(0);
    expect(tally(r)).toEqual({ unchanged: N });
    expect(await bans()).not.toContain(`${short}/32`);
    expect(await bans()).toContain(`${banned6()}/128`);
    for (const h of lab().hosts) expect(await setMembers(lab(), h.name)).not.toContain(short);
    expect(await reachable(lab(), short, lab().hosts.slice(0, 2))).toEqual([true, true]);
  }, 300_000);

  it('a host that was down during the ban gets it from bans sync', async () => {
    const down = lab().hosts[5]!;
    const late = labAddress(lab(), 204, 4);
    await labStopSshd(lab(), down.name);
    let r: Awaited<ReturnType<typeof fleet>>;
    try {
      r = await fleet(dir, lab(), 'ban', late, '--timeout', '20s');
    } finally {
      await labStartSshd(lab(), down.name);
    }
    expect(r.code).toBe(1);
    expect(statuses(r)[down.name]).toBe('unreachable');
    expect(tally(r)).toEqual({ changed: N - 1, unreachable: 1 });
    expect(r.stderr).toContain(`not reached: ${down.name} (retry with: fleet bans sync)`);
    expect(await setMembers(lab(), down.name)).not.toContain(late);
    const s = await fleet(dir, lab(), 'bans', 'sync');
    expect(s.code).toBe(0);
    expect(statuses(s)[down.name]).toBe('changed');
    expect(tally(s)).toEqual({ changed: 1, unchanged: N - 1 });
    expect(await reachable(lab(), late, [down])).toEqual([false]);
  }, 300_000);

  it("refuses to ban the workstation's address: exit 2, nothing written, nothing sent", async () => {
    const file = join(dir, 'inventory', 'bans.yaml');
    const before = readFileSync(file, 'utf8');
    const members = await setMembers(lab(), lab().hosts[0]!.name);
    const r = await fleet(dir, lab(), 'ban', lab().workstation.v4, labAddress(lab(), 205, 4));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to ban .*: it covers this workstation/);
    expect(r.report).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await setMembers(lab(), lab().hosts[0]!.name)).toEqual(members);
    const wide = await fleet(dir, lab(), 'ban', `${labAddress(lab(), 0, 4)}/24`);
    expect(wide.code).toBe(2);
    expect(wide.report).toBeUndefined();
  }, 60_000);
});
