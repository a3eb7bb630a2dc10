import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { fleetOnLab as fleet, tally } from '../support/cli.js';
import { HOLD_DPKG_LOCK } from '../support/dpkg-lock.js';
import { useLab } from '../support/lab.js';
import { hostRules, repoWithProfiles } from './helpers.js';

// A ruleset that cuts SSH: new connections from the workstation are dropped, established ones
// still pass (so the run's own connection survives, and only a NEW connection can tell).
const LOCKOUT = `description: drops new SSH from everywhere but a documentation address
extends: base
ssh:
  sources: [192.0.2.99/32]
`;

const lab = useLab({ name: 'tlockout', count: 4, group: 'web-servers' });
let dir: string;

/** The boot files (what the ban sync persisted): a rolled-back apply leaves them as they were. */
async function bootFiles(names: string[]): Promise<string[]> {
  const read = (n: string) => labHostExec(lab(), n, ['sh', '-c', 'cat /etc/iptables/rules.v4 2>&1']);
  return Promise.all(names.map(async (n) => (await read(n)).stdout));
}

async function rulesOf(names: string[]): Promise<string[]> {
  return Promise.all(names.map((n) => hostRules(lab(), n)));
}

describe('no lockouts', () => {
  beforeAll(() => {
    dir = repoWithProfiles('lockout', { 'web-servers': LOCKOUT });
  });
  afterEach(() => {
    delete process.env.FLEET_TEST_CUT_AFTER;
  });

  it('the lockout guard refuses the profile before anything is sent', async () => {
    const names = lab().hosts.map((h) => h.name);
    const before = await rulesOf(names);
    const run = await fleet(dir, lab(), 'apply', 'all');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/lock|SSH/i);
    expect(run.report).toBeUndefined();
    expect(await rulesOf(names)).toEqual(before);
  });

  it('forced, every host rolls itself back within the timeout, is reachable, and persists nothing', async () => {
    const names = lab().hosts.map((h) => h.name);
    // The ban sets and their raw jump come from the ban sync, which runs before (and outside)
    // the transaction: in place first, so "before" is what the transaction must leave.
    expect((await fleet(dir, lab(), 'bans', 'sync')).code).toBe(0);
    const before = await rulesOf(names);
    const bootBefore = await bootFiles(names);
    const started = Date.now();
    const run = await fleet(dir, lab(), 'apply', 'all', '--force', '--canary', '0', '--confirm-timeout', '6');
    expect(run.code).toBe(1);
    expect(tally(run)).toEqual({ 'rolled-back': 4 });
    for (const h of run.report!.hosts) expect(h.detail).toMatch(/new connection/);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await rulesOf(names)).toEqual(before);
    expect(await bootFiles(names)).toEqual(bootBefore);
    const facts = await fleet(dir, lab(), 'facts', 'all');
    expect(tally(facts)).toEqual({ ok: 4 });
  }, 120_000);

  // How each cut must end: before arming nothing changed; once armed, the watchdog restores;
  // cut just before confirming, the new connection still confirms.
  const expected: Record<string, string> = {
    backup: 'failed',
    armed: 'rolled-back',
    swapped: 'rolled-back',
    confirm: 'changed',
  };

  it.each(['backup', 'armed', 'swapped', 'confirm'])(
    'the connection cut after %s leaves each host on its old or its confirmed new rules, reachable',
    async (step) => {
      const good = repoWithProfiles(`cut-${step}`);
      const names = lab().hosts.map((h) => h.name);
      await fleet(good, lab(), 'apply', 'all', '--canary', '0', '--confirm-timeout', '5');
      // Each round changes the rules (a new port), so "old" and "new" differ.
      writeFileSync(
        `${good}/profiles/web-servers.yaml`,
        `extends: base\nservices:\n  alt: { port: 8${step.length}00 }\n`,
      );
      const old = await rulesOf(names);
      process.env.FLEET_TEST_CUT_AFTER = step;
      const run = await fleet(good, lab(), 'apply', 'all', '--canary', '0', '--confirm-timeout', '5');
      delete process.env.FLEET_TEST_CUT_AFTER;
      const now = await rulesOf(names);
      const fresh = await fleet(good, lab(), 'plan', 'all');
      expect(tally(run)).toEqual({ [expected[step]!]: 4 });
      for (const [i, h] of run.report!.hosts.entries()) {
        const planned = fresh.report!.hosts[i]!;
        if (h.status === 'changed')
          expect(planned.status, `${h.host} confirmed: plan is clean`).toBe('unchanged');
        else {
          expect(['rolled-back', 'failed'], h.detail).toContain(h.status);
          expect(now[i], `${h.host} is back on its old rules`).toEqual(old[i]);
        }
      }
      expect(tally(fresh).unreachable ?? 0).toBe(0);
    },
    120_000,
  );

  it('two applies started at once: the host lock lets one through per host, the other reports it', async () => {
    const repo = repoWithProfiles('concurrent');
    writeFileSync(`${repo}/profiles/web-servers.yaml`, 'extends: base\nservices:\n  alt: { port: 8443 }\n');
    const cli = (...args: string[]) => {
      const argv = [
        'bin/fleet.js',
        '-C',
        repo,
        ...args,
        '-i',
        lab().inventoryPath,
        '--canary',
        '0',
        '--json',
      ];
      let child: ReturnType<typeof execFile> | undefined;
      const done = new Promise<{ code: number; out: string }>((resolve) => {
        child = execFile('node', argv, { encoding: 'utf8' }, (err, stdout) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout }),
        );
      });
      return { pid: child!.pid!, done };
    };
    // The first run holds each host's lock through a package upgrade that waits for dpkg's lock
    // (held for 15 s here, ample even on a loaded machine); the second starts meanwhile.
    for (const h of lab().hosts) await labHostExec(lab(), h.name, ['sh', '-c', HOLD_DPKG_LOCK, 'sh', '15']);
    const first = cli('apply', 'all', '--update');
    const host = lab().hosts[0]!.name;
    const holder = async () =>
      (await labHostExec(lab(), host, ['cat', '/run/lock/fleet.lock.owner'])).stdout.includes(
        `pid ${first.pid} `,
      );
    for (let i = 0; i < 200 && !(await holder()); i++) await new Promise((r) => setTimeout(r, 50));
    const second = await cli('apply', 'all').done;
    const done = await first.done;
    const statusOf = (out: string) => {
      const report = JSON.parse(out.trim().split('\n').at(-1)!).report as {
        hosts: { host: string; status: string; detail: string }[];
      };
      return new Map(report.hosts.map((h) => [h.host, h]));
    };
    const a = statusOf(done.out);
    const b = statusOf(second.out);
    for (const h of lab().hosts) {
      expect(a.get(h.name)?.status).toBe('changed');
      expect(b.get(h.name)?.status).toBe('failed');
      expect(b.get(h.name)?.detail).toMatch(/locked by another fleet run: .*pid/);
    }
  }, 180_000);
});
