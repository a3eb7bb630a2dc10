/**
 * The safe path at its edges (issue 13), on real hosts: a host armed by a run that crashed
 * between swap and confirm is never `unchanged`; rollback after a rolled-back apply goes to the
 * rules before the last change that stayed; restore --at gives the rules live then; a watchdog
 * whose IPv6 restore fails is a loud `failed`; a 10 s blip at confirm time does not roll back.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { acquireLock } from '../../src/ops/apply/lock.js';
import { KeyStore } from '../../src/remote/keys.js';
import { SshPool } from '../../src/remote/pool.js';
import { fleetOnLab as fleet } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { hostRules, repoWithProfiles } from './helpers.js';

const lab = useLab({ name: 'tedges', count: 2, group: 'web-servers' });
let dir: string;

const port = (p: number) => `extends: base\nservices:\n  alt: { port: ${p} }\n`;
// New SSH connections from the workstation dropped (the run's own established one passes).
const LOCKOUT = 'extends: base\nssh:\n  sources: [192.0.2.99/32]\n';

function useProfile(yaml: string): void {
  writeFileSync(`${dir}/profiles/web-servers.yaml`, yaml);
}

async function onHost(host: string, script: string): Promise<string> {
  return (await labHostExec(lab(), host, ['sh', '-c', script])).stdout;
}

/** Waits until the host has an armed marker; its first line is the backup the watchdog restores. */
async function armedBackup(host: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const out = await onHost(host, 'for f in /var/lib/fleet/armed/*; do [ -f "$f" ] && sed -n 1p "$f"; done');
    if (out.trim()) return out.trim();
    await sleep(50);
  }
  throw new Error(`${host} never armed`);
}

function outcomes(run: Awaited<ReturnType<typeof fleet>>): string[] {
  return (run.report!.hosts[0]!.data!.backups as { outcome: string }[]).map((b) => b.outcome);
}

describe('the safe path at its edges', () => {
  beforeAll(() => {
    dir = repoWithProfiles('edges');
  });

  it('a host armed by a crashed run is refused with the true time left, planned and audited as armed', async () => {
    const host = lab().hosts[0]!.name;
    useProfile(port(8101));
    expect((await fleet(dir, lab(), 'apply', host)).report?.hosts[0]?.status).toBe('changed');
    useProfile(port(8102));
    // The built CLI in a child process, killed between swap and confirm (the script pauses 3 s
    // after the swap under FLEET_TEST_CUT_AFTER).
    const argv = [
      'bin/fleet.js',
      '-C',
      dir,
      'apply',
      host,
      '-i',
      lab().inventoryPath,
      '--confirm-timeout',
      '40',
    ];
    const env = { ...process.env, FLEET_TEST_CUT_AFTER: 'swapped' };
    const child = execFile('node', argv, { env }, () => undefined);
    const backup = await armedBackup(host);
    for (let i = 0; i < 200 && !(await hostRules(lab(), host)).includes('8102'); i++) await sleep(50);
    child.kill('SIGKILL');

    const again = await fleet(dir, lab(), 'apply', host, '--confirm-timeout', '5');
    const r = again.report!.hosts[0]!;
    expect(again.code).toBe(1);
    expect(r.status).toBe('failed');
    const m = /awaiting confirmation of (\w+), (\d+) s left; the watchdog will restore ([\w.-]+)/.exec(
      r.detail,
    );
    expect(m, r.detail).not.toBeNull();
    expect(backup.endsWith(m![3]!)).toBe(true);
    // The time left is the watchdog's (40 s from arming), not this run's --confirm-timeout. The
    // marker's deadline is the arming second rounded up, and the host's `date +%s` rounds down:
    // read within the arming's second, it says 41.
    expect(Number(m![2])).toBeGreaterThan(5);
    expect(Number(m![2])).toBeLessThanOrEqual(41);

    const plan = await fleet(dir, lab(), 'plan', host);
    expect(plan.report!.hosts[0]!.status).toBe('failed');
    expect(plan.report!.hosts[0]!.detail).toContain(`awaiting confirmation of ${m![1]}`);
    const facts = await fleet(dir, lab(), 'facts', host);
    expect(facts.report!.hosts[0]!.detail).toContain(`ARMED: awaiting confirmation of ${m![1]}`);
    const audit = await fleet(dir, lab(), 'audit', host);
    const armed = audit.report!.hosts[0]!.findings!.filter((f) => f.check === 'armed');
    expect(armed[0]?.message).toContain(`awaiting confirmation of ${m![1]}`);

    const started = Date.now();
    const waited = await fleet(dir, lab(), 'apply', host, '--wait-armed', '--confirm-timeout', '15');
    expect(waited.report!.hosts[0]!.status, waited.report!.hosts[0]!.detail).toBe('changed');
    expect(Date.now() - started).toBeGreaterThan((Number(m![2]) - 3) * 1000);
    expect(await hostRules(lab(), host)).toContain('8102');
    const list = await fleet(dir, lab(), 'backups', host);
    expect(outcomes(list)).toEqual(['confirmed', 'rolled-back', 'confirmed']);
  }, 180_000);

  it('rollback after a rolled-back apply goes to the rules before the last change that stayed; --at gives the rules live then', async () => {
    const host = lab().hosts[1]!.name;
    useProfile(port(8201));
    await fleet(dir, lab(), 'apply', host);
    const rulesA = await hostRules(lab(), host);
    useProfile(port(8202));
    expect((await fleet(dir, lab(), 'apply', host)).report?.hosts[0]?.status).toBe('changed');
    const rulesB = await hostRules(lab(), host);
    await sleep(1100);
    const betweenBandC = new Date().toISOString();
    await sleep(1100);
    useProfile(LOCKOUT);
    const c = await fleet(dir, lab(), 'apply', host, '--force', '--confirm-timeout', '6');
    expect(c.report?.hosts[0]?.status).toBe('rolled-back');
    expect(await hostRules(lab(), host)).toEqual(rulesB);

    const back = await fleet(dir, lab(), 'rollback', host);
    expect(back.report?.hosts[0]?.status, back.report?.hosts[0]?.detail).toBe('changed');
    expect(await hostRules(lab(), host)).toEqual(rulesA);
    const list = await fleet(dir, lab(), 'backups', host);
    expect(outcomes(list)).toEqual(['confirmed', 'confirmed', 'rolled-back', 'confirmed']);
    expect(list.stdout).toMatch(/rolled-back: not confirmed in time, the watchdog fired: backup restored/);

    const at = await fleet(dir, lab(), 'restore', host, '--at', betweenBandC);
    expect(at.report?.hosts[0]?.status, at.report?.hosts[0]?.detail).toBe('changed');
    expect(await hostRules(lab(), host)).toEqual(rulesB);
    const now = await fleet(dir, lab(), 'restore', host, '--at', new Date().toISOString());
    expect(now.report?.hosts[0]?.status).toBe('unchanged');
    expect(now.report?.hosts[0]?.detail).toContain('no change stayed since');
  }, 180_000);

  it('a watchdog whose ip6tables-restore fails is a loud failed, saying what is live', async () => {
    const host = lab().hosts[1]!.name;
    useProfile(LOCKOUT);
    const run = fleet(dir, lab(), 'apply', host, '--force', '--confirm-timeout', '10');
    // The v6 backup made invalid while the watchdog waits: its IPv6 restore will fail.
    const backup = await armedBackup(host);
    await labHostExec(lab(), host, ['sed', '-i', '1i -A NO-SUCH-CHAIN -j DROP', `${backup}.v6`]);
    const done = await run;
    const r = done.report!.hosts[0]!;
    expect(done.code).toBe(1);
    expect(r.status).toBe('failed');
    expect(r.detail).toMatch(
      /the watchdog's restore of \S+ FAILED \(ip6tables-restore: .+\); live now: IPv4 is the backup's, IPv6 is NOT/,
    );
    const list = await fleet(dir, lab(), 'backups', host);
    expect(outcomes(list).at(-1)).toBe('failed');
    expect(list.stdout).toContain('restore failed: ip6tables-restore');
  }, 120_000);

  it('a 10 s blip of new SSH connections at confirm time does not roll back a good change', async () => {
    const host = lab().hosts[0]!.name;
    // On the host: once armed (just before the swap), drop new SSH connections (SYNs, in the
    // mangle table, which fleet neither writes nor compares) for 10 s.
    const drop = '-p tcp --dport 22 --syn -j DROP';
    const blip = `until ls /var/lib/fleet/armed/* >/dev/null 2>&1; do sleep 0.02; done
iptables -w -t mangle -I PREROUTING ${drop}; sleep 10; iptables -w -t mangle -D PREROUTING ${drop}`;
    await labHostExec(lab(), host, [
      'sh',
      '-c',
      'setsid sh -c "$1" </dev/null >/dev/null 2>&1 &',
      'sh',
      blip,
    ]);
    useProfile(port(8103));
    const run = await fleet(dir, lab(), 'apply', host, '--confirm-timeout', '30');
    const r = run.report!.hosts[0]!;
    expect(r.status, r.detail).toBe('changed');
    expect(await hostRules(lab(), host)).toContain('8103');
    expect(r.data?.raced, 'the blip was not seen as another writer').toBeUndefined();
    expect(r.data?.confirmTries, 'the first try met the blip').toBeGreaterThan(1);
    expect(await onHost(host, 'iptables -t mangle -S PREROUTING')).not.toContain('--dport 22');
  }, 120_000);

  it('two runs taking the lock together: the loser always names the holder', async () => {
    const h = lab().hosts[0]!;
    const pool = new SshPool({
      knownHostsFile: lab().knownHostsPath,
      keys: new KeyStore({ agentSocket: '' }),
      sshConfig: { configFile: '/dev/null' },
    });
    const spec = { name: h.name, address: h.address, user: 'root', identity: lab().identityPath };
    try {
      const [a, b] = [await pool.openFresh(spec), await pool.openFresh(spec)];
      for (let round = 0; round < 15; round++) {
        const tries = await Promise.allSettled([
          acquireLock(a, `run-a${round}`),
          acquireLock(b, `run-b${round}`),
        ]);
        const won = tries.findIndex((t) => t.status === 'fulfilled');
        const lost = tries[1 - won] as PromiseRejectedResult;
        expect(won, 'one run takes the lock').toBeGreaterThanOrEqual(0);
        expect(String(lost.reason?.message)).toMatch(
          new RegExp(`^locked by another fleet run: run-${won === 0 ? 'a' : 'b'}${round} since `),
        );
        await (tries[won] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
      }
    } finally {
      await pool.closeAll();
    }
  }, 120_000);
});
