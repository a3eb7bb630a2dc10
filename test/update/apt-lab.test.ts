/**
 * fleet's update operation against real lab hosts (Debian, real apt and dpkg, the lab's local
 * repository holding fleet-lab-canary 1.1 while 1.0 is installed), over fleet's own SSH layer.
 */
import { describe, expect, it } from 'vitest';
import type { LabHost } from '../../src/lab/index.js';
import { updateBeforeApply } from '../../src/ops/update/gate.js';
import { runUpdate } from '../../src/ops/update/run.js';
import { KeyStore } from '../../src/remote/keys.js';
import { SshPool } from '../../src/remote/pool.js';
import { HOLD_DPKG_LOCK } from '../support/dpkg-lock.js';
import { labSsh, useLab } from '../support/lab.js';

const VERSION = 'dpkg-query -W fleet-lab-canary | cut -f2';

describe('update on lab hosts (apt)', () => {
  const lab = useLab({ name: 'upd-apt', count: 4 });
  const pool = () =>
    new SshPool({ knownHostsFile: lab().knownHostsPath, keys: new KeyStore({ agentSocket: '' }) });
  const spec = (h: LabHost) => ({
    name: h.name,
    address: h.address,
    user: 'root',
    identity: lab().identityPath,
  });
  const sh = async (h: LabHost, cmd: string) => (await labSsh(lab(), h.address, cmd)).stdout.trim();

  async function withSession<T>(h: LabHost, fn: (s: Awaited<ReturnType<SshPool['session']>>) => Promise<T>) {
    const p = pool();
    try {
      return await fn(await p.session(spec(h)));
    } finally {
      await p.closeAll();
    }
  }

  it('--check lists the canary 1.0 → 1.1 and changes nothing; update upgrades it; a second run has nothing to do', async () => {
    const h = lab().hosts[0]!;
    await withSession(h, async (s) => {
      const check = await runUpdate(s, { mode: 'check', lockWaitSeconds: 30 });
      expect(check).toMatchObject({ ok: true, packageManager: 'apt', changed: [] });
      expect(check.pending).toContainEqual({ name: 'fleet-lab-canary', old: '1.0', new: '1.1' });
      expect(await sh(h, VERSION)).toBe('1.0');

      const up = await runUpdate(s, { mode: 'upgrade', lockWaitSeconds: 30 });
      expect(up.ok, up.error).toBe(true);
      expect(up.changed).toContainEqual({ name: 'fleet-lab-canary', old: '1.0', new: '1.1' });
      expect(up.rebootRequired).toBe(false);
      expect(await sh(h, VERSION)).toBe('1.1');

      const again = await runUpdate(s, { mode: 'upgrade', lockWaitSeconds: 30 });
      expect(again).toMatchObject({ ok: true, pending: [], changed: [] });
    });
  });

  it('--security-only: the lab repository is no security suite, so nothing is pending or changed', async () => {
    const h = lab().hosts[1]!;
    await withSession(h, async (s) => {
      const plain = await runUpdate(s, { mode: 'check', lockWaitSeconds: 30 });
      expect(plain.pending.map((p) => p.name)).toContain('fleet-lab-canary');
      const sec = await runUpdate(s, { mode: 'upgrade', securityOnly: true, lockWaitSeconds: 30 });
      expect(sec).toMatchObject({ ok: true, securityOnly: true, pending: [], changed: [] });
      expect(await sh(h, VERSION)).toBe('1.0');
    });
  });

  it('waits for a dpkg lock held by another process, then upgrades', async () => {
    const h = lab().hosts[2]!;
    await labSsh(lab(), h.address, HOLD_DPKG_LOCK);
    await expect.poll(() => sh(h, 'test -e /run/lock-held && echo held'), { timeout: 5_000 }).toBe('held');
    await withSession(h, async (s) => {
      const up = await runUpdate(s, { mode: 'upgrade', lockWaitSeconds: 60 });
      expect(up.ok, up.error).toBe(true);
      expect(up.changed).toContainEqual({ name: 'fleet-lab-canary', old: '1.0', new: '1.1' });
    });
    expect(await sh(h, 'test -e /run/lock-held && echo held || echo released')).toBe('released');
    expect(await sh(h, VERSION)).toBe('1.1');
  });

  it("a lock held past the wait fails the host with apt's lock error, changing nothing", async () => {
    const h = lab().hosts[3]!;
    await labSsh(lab(), h.address, HOLD_DPKG_LOCK);
    await expect.poll(() => sh(h, 'test -e /run/lock-held && echo held'), { timeout: 5_000 }).toBe('held');
    await withSession(h, async (s) => {
      const up = await runUpdate(s, { mode: 'upgrade', lockWaitSeconds: 1 });
      expect(up).toMatchObject({ ok: false, failedStep: 'upgrade', changed: [] });
      expect(up.error).toMatch(
        /^E: .*(Could not get lock|Unable to acquire the dpkg frontend lock).*lock-frontend/,
      );
    });
    expect(await sh(h, VERSION)).toBe('1.0');
    await expect
      .poll(() => sh(h, 'test -e /run/lock-held || echo released'), { timeout: 15_000 })
      .toBe('released');
  });

  it('a broken repository fails the update with the apt error; through the apply seam the firewall is untouched', async () => {
    const h = lab().hosts[3]!;
    await sh(h, 'iptables -A INPUT -s 192.0.2.99/32 -j DROP');
    const rulesBefore = await sh(h, 'iptables-save | grep -v "^#"');
    await sh(
      h,
      'echo "deb [trusted=yes] file:/nonexistent-fleet-repo ./" >/etc/apt/sources.list.d/broken.list',
    );
    await withSession(h, async (s) => {
      const gate = await updateBeforeApply(s, { lockWaitSeconds: 30 });
      expect(gate.proceed).toBe(false);
      expect(gate.result).toMatchObject({ ok: false, failedStep: 'update', changed: [] });
      expect(gate.result.error).toMatch(/^E: .*nonexistent-fleet-repo/);
      expect(gate.detail).toMatch(/^update failed, firewall left untouched: apt update failed: E: /);
    });
    expect(await sh(h, VERSION)).toBe('1.0');
    expect(await sh(h, 'iptables-save | grep -v "^#"')).toBe(rulesBefore);
  });
});
