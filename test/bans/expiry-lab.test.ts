/**
 * Host-side expiry where the host has no ipset (rules mode: one rule per ban), on one lab host
 * whose ipset binary is removed, through the real CLI: a timed ban's rule names its end, a timer
 * the ban script leaves on the host lifts it on time with no fleet command (kernel and boot
 * file), and a host whose timer is gone (as after a reboot) is flagged by audit and healed by
 * the next contact. Timing is loose: the machine is shared, so polls have generous deadlines.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabInfo, labHostExec, labProbe } from '../../src/lab/index.js';
import { useLab } from '../support/lab.js';
import { fleet, labAddress, tally, tempRepo } from './helpers.js';

const sh = async (lab: LabInfo, host: string, script: string) => {
  const r = await labHostExec(lab, host, ['sh', '-c', script]);
  expect(r.ok, r.stderr).toBe(true);
  return r.stdout;
};

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('timed bans on a host without ipset lift by themselves', () => {
  const lab = useLab({ name: 'bans-exp', count: 1 });
  const dir = tempRepo('bans-exp');
  const host = () => lab().hosts[0]!;
  const a4 = (n: number) => labAddress(lab(), n, 4);
  const probe = (n: number) =>
    labProbe(lab(), { source: a4(n), target: host().address, port: 22, timeout: 2 });
  /** Poll (no fleet command) until the probe from a4(n) gets through, or the deadline passes. */
  async function passesBy(n: number, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await probe(n)) return true;
      await sleep(3000);
    }
    return probe(n);
  }
  const kernelAndBoot = () =>
    sh(
      lab(),
      host().name,
      'iptables -t raw -S FLEET-BANS; echo ---; cat /etc/iptables/rules.v4; stat -c %a /etc/iptables/rules.v4',
    );

  /** What the host has, for a failure's message. */
  const hostState = () =>
    sh(lab(), host().name, 'date +%s; cat /run/fleet-bans/timer; ps -ef; iptables -t raw -S FLEET-BANS');

  beforeAll(async () => {
    cpSync(join(import.meta.dirname, 'fixtures', 'profiles'), join(dir, 'profiles'), { recursive: true });
    await sh(lab(), host().name, 'rm -f "$(command -v ipset)"; ! command -v ipset');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a 30 s ban drops a probe, names its end in its rule, and lifts on time with no fleet command', async () => {
    expect((await fleet(dir, lab(), 'apply', 'all')).code).toBe(0);
    const ban = await fleet(dir, lab(), 'ban', a4(230), '--ttl', '30s', '--reason', 'expiry');
    expect(ban.code, ban.stderr).toBe(0);
    expect(ban.stdout + ban.stderr).toContain('rules:');
    expect((await fleet(dir, lab(), 'ban', a4(231), '--reason', 'stays')).code).toBe(0);
    const plan = await fleet(dir, lab(), 'plan', 'all');
    expect(tally(plan), plan.stdout).toEqual({ unchanged: 1 }); // the compiler names the same end
    const before = await kernelAndBoot();
    const timed = new RegExp(`fleet:bans:${a4(230).replaceAll('.', '\\.')}/32,until=\\d+`, 'g');
    expect(before.match(timed)?.length).toBe(2); // the kernel and the boot file
    expect(await probe(230)).toBe(false);

    const lifted = await passesBy(230, 150_000); // 30 s, and a generous margin
    expect(lifted, lifted ? '' : await hostState()).toBe(true);
    const after = await kernelAndBoot();
    expect(after).not.toContain(a4(230));
    expect(after).toContain(`fleet:bans:${a4(231)}/32`);
    expect(after.trim().split('\n').at(-1)).toBe('600');
    expect(await probe(231)).toBe(false);
    expect(tally(await fleet(dir, lab(), 'plan', 'all'))).toEqual({ unchanged: 1 });
  }, 400_000);

  it('a host whose timer is gone (rebooted) keeps an over ban: audit names it; the next contact lifts it', async () => {
    expect((await fleet(dir, lab(), 'ban', a4(232), '--ttl', '5s')).code).toBe(0);
    // What a reboot does to the timer: /run is empty again and the sleeper is gone.
    await sh(
      lab(),
      host().name,
      'read -r p d < /run/fleet-bans/timer && kill -TERM "-$p" && rm /run/fleet-bans/timer',
    );
    await sleep(8000);
    expect(await probe(232)).toBe(false);
    const audit = await fleet(dir, lab(), 'audit', 'all');
    const found = audit.report?.hosts[0]?.findings?.find((f) => f.check === 'bans-expired');
    expect(found?.message).toContain(a4(232));
    const held = await fleet(dir, lab(), 'bans', 'held');
    expect(held.code, held.stderr).toBe(0);
    const lifted = await passesBy(232, 60_000); // `bans held` armed a timer; it lifted the ban
    expect(lifted, lifted ? '' : await hostState()).toBe(true);
    expect(await kernelAndBoot()).not.toContain(a4(232));
  }, 300_000);
});
