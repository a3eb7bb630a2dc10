import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labStartSshd, labStopSshd } from '../../src/lab/index.js';
import { repoWithProfiles } from '../apply/helpers.js';
import { fleetOnLab as fleet, tally } from '../support/cli.js';
import { useLab } from '../support/lab.js';

// facts, exec and plan over 20 real hosts; one host's sshd stopped, one frozen (SIGSTOP).
const lab = useLab({ name: 'tfanout', count: 20 });
let dir: string;
const host = (i: number) => lab().hosts[i]!.name;

describe('facts, exec and plan over 20 lab hosts', () => {
  beforeAll(() => {
    dir = repoWithProfiles('fanout');
  });

  it('facts reports every host: OS, package manager, iptables backend', async () => {
    const run = await fleet(dir, lab(), 'facts', 'all');
    expect(run.code, run.stderr).toBe(0);
    expect(tally(run)).toEqual({ ok: 20 });
    const facts = run.report!.hosts[0]!.data!.facts as {
      os: string;
      packageManager: string;
      iptables: string;
    };
    expect(facts).toMatchObject({ os: 'debian', packageManager: 'apt', iptables: 'nft' });
  });

  it('exec runs the command on every host and keeps each host its own output', async () => {
    const run = await fleet(dir, lab(), 'exec', 'all', 'hostname');
    expect(tally(run)).toEqual({ ok: 20 });
    for (const h of run.report!.hosts) expect(String(h.data!.stdout).trim()).toBe(h.host);
    const failing = await fleet(dir, lab(), 'exec', host(0), 'echo bye; exit 3');
    expect(failing.code).toBe(1);
    expect(failing.report!.hosts[0]).toMatchObject({ status: 'failed', detail: 'exit 3' });
    expect(failing.report!.hosts[0]!.data!.stdout).toBe('bye\n');
  });

  it('plan shows every host would change, and changes nothing', async () => {
    const run = await fleet(dir, lab(), 'plan', 'all');
    expect(run.code, run.stderr).toBe(0);
    expect(tally(run)).toEqual({ changed: 20 });
    expect(run.report!.hosts[0]!.diff).toContain('+-A INPUT');
    expect(tally(await fleet(dir, lab(), 'plan', 'all'))).toEqual({ changed: 20 });
  });

  describe('with one sshd stopped and one frozen', () => {
    beforeAll(async () => {
      await labStopSshd(lab(), host(3), 'TERM');
      await labStopSshd(lab(), host(5), 'STOP');
    });
    afterAll(async () => {
      await labStopSshd(lab(), host(5), 'CONT');
      await labStartSshd(lab(), host(3));
    });

    it('the stopped host is unreachable, the frozen one cut off by the timeout, the rest succeed', async () => {
      const started = Date.now();
      const run = await fleet(dir, lab(), 'facts', 'all', '--timeout', '8s');
      expect(run.code).toBe(1);
      expect(tally(run)).toEqual({ ok: 18, unreachable: 1, failed: 1 });
      const by = new Map(run.report!.hosts.map((h) => [h.host, h]));
      expect(by.get(host(3))!.detail).toMatch(/refused/);
      expect(by.get(host(5))!.detail).toMatch(/timed out/);
      expect(Date.now() - started).toBeLessThan(30_000);
    }, 60_000);
  });
});
