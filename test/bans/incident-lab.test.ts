/**
 * Bans an incident can trust, on 2 lab hosts through the real CLI: first in line ahead of
 * ufw-, Docker- and Tailscale-style accept rules; no drift after IPv4 and IPv6 bans; a timed ban
 * lifted by the hosts themselves; a stale checkout that keeps (and names) host-held bans;
 * `bans pull`; the guard's new refusals; a 10,000-line feed in one push. The steps build on
 * each other, in order.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBanFile } from '../../src/bans/file-io.js';
import { type LabInfo, labHostExec, labProbe } from '../../src/lab/index.js';
import type { RunReport } from '../../src/model/result.js';
import { useLab } from '../support/lab.js';
import { fleet, labAddress, setMembers, tally, tempRepo } from './helpers.js';

const N = 2;

const sh = async (lab: LabInfo, host: string, script: string) => {
  const r = await labHostExec(lab, host, ['sh', '-c', script]);
  expect(r.ok, r.stderr).toBe(true);
  return r.stdout;
};

async function reachable(lab: LabInfo, source: string): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const h of lab.hosts) {
    const target = source.includes(':') ? h.address6 : h.address;
    out.push(await labProbe(lab, { source, target, port: 22, timeout: 3 }));
  }
  return out;
}

/** Checks of the ban and drift families on every host of an audit report. */
function banFindings(r: { report?: RunReport }): string[] {
  return (r.report?.hosts ?? []).flatMap((h) =>
    (h.findings ?? [])
      .filter((f) => f.check === 'drift' || f.check.startsWith('bans-'))
      .map((f) => `${h.host} ${f.check}`),
  );
}

/** What ufw, Docker and Tailscale do at start: their accept rules and jumps at position 1. */
const FOREIGN_ACCEPTS = ['iptables', 'ip6tables']
  .map(
    (ipt) =>
      `${ipt} -I INPUT 1 -p tcp --dport 22 -j ACCEPT; ` + // ufw: "allow 22" from anywhere
      `${ipt} -N DOCKER-USER; ${ipt} -A DOCKER-USER -j ACCEPT; ${ipt} -I FORWARD 1 -j DOCKER-USER; ` +
      `${ipt} -N ts-input; ${ipt} -A ts-input -j ACCEPT; ${ipt} -I INPUT 1 -j ts-input;`,
  )
  .join(' ');

/** The same tools gone again (apply now refuses to delete their chains: coexistence). */
const FOREIGN_GONE = ['iptables', 'ip6tables']
  .map(
    (ipt) =>
      `${ipt} -D INPUT -p tcp --dport 22 -j ACCEPT; ${ipt} -D FORWARD -j DOCKER-USER; ${ipt} -F DOCKER-USER; ` +
      `${ipt} -X DOCKER-USER; ${ipt} -D INPUT -j ts-input; ${ipt} -F ts-input; ${ipt} -X ts-input;`,
  )
  .join(' ');

describe('bans an incident can trust, on 2 lab hosts', () => {
  const lab = useLab({ name: 'bans-inc', count: N });
  const dir = tempRepo('bans-inc');
  const stale = tempRepo('bans-inc-stale');
  const a4 = (n: number) => labAddress(lab(), n, 4);
  const a6 = (n: number) => labAddress(lab(), n, 6);
  const listed = async (repo: string) =>
    (await readBanFile(join(repo, 'inventory', 'bans.yaml'))).entries.map((e) => e.cidr);

  beforeAll(() => {
    for (const repo of [dir, stale])
      cpSync(join(import.meta.dirname, 'fixtures', 'profiles'), join(repo, 'profiles'), { recursive: true });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(stale, { recursive: true, force: true });
  });

  it('after an IPv4 and then an IPv6 ban: plan is unchanged and audit clean on every host', async () => {
    const applied = await fleet(dir, lab(), 'apply', 'all');
    expect(applied.code, applied.stderr).toBe(0);
    for (const addr of [a4(220), a6(220)]) {
      const ban = await fleet(dir, lab(), 'ban', addr, '--reason', 'no drift');
      expect(ban.code, ban.stderr).toBe(0);
      const plan = await fleet(dir, lab(), 'plan', 'all');
      expect(plan.code, plan.stderr).toBe(0);
      expect(tally(plan), addr).toEqual({ unchanged: N });
      const audit = await fleet(dir, lab(), 'audit', 'all');
      expect(banFindings(audit), addr).toEqual([]);
    }
  }, 600_000);

  it('a ban drops a real probe although ufw-, Docker- and Tailscale-style accepts sit ahead of fleet', async () => {
    for (const h of lab().hosts) await sh(lab(), h.name, FOREIGN_ACCEPTS);
    const r = await fleet(dir, lab(), 'ban', a4(221), a6(221), '--reason', 'first in line');
    expect(r.code, r.stderr).toBe(0);
    expect(await reachable(lab(), a4(221))).toEqual([false, false]);
    expect(await reachable(lab(), a6(221))).toEqual([false, false]);
    expect(await reachable(lab(), a4(222))).toEqual([true, true]);
    for (const h of lab().hosts) await sh(lab(), h.name, FOREIGN_GONE);
  }, 300_000);

  it('audit flags a rule put ahead of the ban jump in raw PREROUTING; the next ban puts it back first', async () => {
    const h = lab().hosts[0]!;
    await sh(lab(), h.name, `iptables -t raw -I PREROUTING 1 -s ${a4(221)} -j ACCEPT`);
    expect(await reachable(lab(), a4(221))).toEqual([true, false]);
    const audit = await fleet(dir, lab(), 'audit', h.name);
    expect(banFindings(audit)).toContain(`${h.name} bans-not-first`);
    const r = await fleet(dir, lab(), 'ban', a4(223), '--on', h.name);
    expect(r.code, r.stderr).toBe(0);
    expect(await sh(lab(), h.name, 'iptables -t raw -S PREROUTING')).toMatch(
      /^-P PREROUTING ACCEPT\n-A PREROUTING -m comment --comment "?fleet:bans:jump"? -j FLEET-BANS\n/,
    );
    expect(await reachable(lab(), a4(221))).toEqual([false, false]);
  }, 300_000);

  it('a 30 s ban lifts by itself on every host, with no fleet command', async () => {
    const r = await fleet(dir, lab(), 'ban', a4(224), '--ttl', '30s');
    expect(r.code, r.stderr).toBe(0);
    expect(await reachable(lab(), a4(224))).toEqual([false, false]);
    const deadline = Date.now() + 150_000; // 30 s, and a generous margin for a loaded machine
    let held = lab().hosts.map(() => true);
    while (held.some(Boolean) && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 3000));
      held = await Promise.all(
        lab().hosts.map(async (h) => (await setMembers(lab(), h.name)).includes(a4(224))),
      );
    }
    expect(held).toEqual([false, false]);
    expect(await reachable(lab(), a4(224))).toEqual([true, true]);
    expect(await listed(dir)).toContain(`${a4(224)}/32`); // the list keeps the record
  }, 300_000);

  it('an apply from a stale checkout keeps host-held bans and names them; bans pull records them', async () => {
    const r = await fleet(stale, lab(), 'apply', 'all');
    expect(r.code, r.stderr).toBe(0);
    for (const h of r.report!.hosts) {
      expect(h.detail).toContain('kept');
      expect(h.detail).toContain(a4(221));
    }
    expect(await reachable(lab(), a4(221))).toEqual([false, false]);
    const held = await fleet(stale, lab(), 'bans', 'held');
    expect(held.stdout).toMatch(
      new RegExp(`${a4(221).replaceAll('.', '\\.')} +2/2 hosts +permanent +NOT in bans.yaml`),
    );
    const pull = await fleet(stale, lab(), 'bans', 'pull');
    expect(pull.code, pull.stderr).toBe(0);
    expect(await listed(stale)).toEqual(expect.arrayContaining([`${a4(221)}/32`, `${a6(221)}/128`]));
  }, 600_000);

  it('--prune-bans lifts what the checkout does not list', async () => {
    writeFileSync(join(stale, 'inventory', 'bans.yaml'), 'bans: []\n');
    const r = await fleet(stale, lab(), 'bans', 'sync', '--prune-bans');
    expect(r.code, r.stderr).toBe(0);
    expect(await reachable(lab(), a4(221))).toEqual([true, true]);
    const back = await fleet(dir, lab(), 'bans', 'sync');
    expect(back.code, back.stderr).toBe(0);
    expect(await reachable(lab(), a4(221))).toEqual([false, false]);
  }, 300_000);

  it('refuses link-local, "this network", multicast and broadcast, even with --force: exit 2, nothing sent', async () => {
    const file = join(dir, 'inventory', 'bans.yaml');
    const before = readFileSync(file, 'utf8');
    const members = await setMembers(lab(), lab().hosts[0]!.name);
    for (const args of [
      ['169.254.169.254'],
      ['169.254.0.0/16', '--force'],
      ['0.0.0.0/8', '--force'],
      ['224.0.0.0/4', '--force'],
      ['255.255.255.255'],
      ['ff02::1'],
    ]) {
      const r = await fleet(dir, lab(), 'ban', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/refusing to ban/);
      expect(r.report).toBeUndefined();
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await setMembers(lab(), lab().hosts[0]!.name)).toEqual(members);
  }, 120_000);

  it('imports a 10,000-line feed in one push; a bad line is named and nothing is sent', async () => {
    // RFC 2544 benchmarking addresses (198.18.0.0/15), in the DROP list's format.
    const lines = Array.from({ length: 10_000 }, (_, i) => `198.18.${i >> 8}.${i & 255} ; SBL${i}`);
    const feed = join(dir, 'drop.txt');
    writeFileSync(feed, `; Spamhaus DROP List (test)\n; Expires: never\n${lines.join('\n')}\n`);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, `${lines.slice(0, 5).join('\n')}\n169.254.1.1\n`);
    const refused = await fleet(dir, lab(), 'bans', 'import', 'bad.txt', '--reason', 'feed');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bad\.txt:6:1 refusing to ban 169\.254\.1\.1/);
    expect(refused.report).toBeUndefined();
    const r = await fleet(dir, lab(), 'bans', 'import', 'drop.txt', '--reason', 'drop list', '--ttl', '7d');
    expect(r.code, r.stderr).toBe(0);
    expect(r.report?.command).toBe('bans-import');
    expect(tally(r)).toEqual({ changed: N });
    for (const h of r.report!.hosts) expect(Number(h.data?.added)).toBeGreaterThanOrEqual(10_000);
    expect(
      (await setMembers(lab(), lab().hosts[1]!.name)).filter((m) => m.startsWith('198.18.')),
    ).toHaveLength(10_000);
    expect(await reachable(lab(), a4(221))).toEqual([false, false]);
  }, 600_000);
});
