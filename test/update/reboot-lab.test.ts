/**
 * --reboot-if-needed on lab hosts. A lab host cannot really reboot (it is a set of namespaces
 * sharing this machine's kernel, with no systemd), so the reboot command itself is never run here.
 * What is tested for real: the boot marker read over SSH, and that the wait, polling with NEW
 * connections, does not take a host that never went down, or one that stays unreachable, for a
 * host that came back — it times out with the reason.
 */
import { describe, expect, it } from 'vitest';
import { labStartSshd, labStopSshd } from '../../src/lab/index.js';
import { readBootMarker, waitForReboot } from '../../src/ops/update/reboot.js';
import { KeyStore } from '../../src/remote/keys.js';
import { SshPool } from '../../src/remote/pool.js';
import { useLab } from '../support/lab.js';

describe('reboot wait on lab hosts', () => {
  const lab = useLab({ name: 'upd-boot', count: 1 });
  const host = () => {
    const h = lab().hosts[0]!;
    return { name: h.name, address: h.address, user: 'root', identity: lab().identityPath };
  };
  const newPool = () =>
    new SshPool({
      knownHostsFile: lab().knownHostsPath,
      keys: new KeyStore({ agentSocket: '' }),
      connectTimeoutMs: 2_000,
    });

  it('reads a boot marker (boot_id and pid 1 start time) that stays the same between connections', async () => {
    const pool = newPool();
    try {
      const a = await readBootMarker(await pool.openFresh(host()));
      const b = await readBootMarker(await pool.openFresh(host()));
      expect(a).toMatch(/^[0-9a-f-]{36} \d+$/);
      expect(b).toBe(a);
    } finally {
      await pool.closeAll();
    }
  });

  it('a host still on the same boot is not "back": the wait times out saying so', async () => {
    const pool = newPool();
    try {
      const before = await readBootMarker(await pool.session(host()));
      const out = await waitForReboot(() => pool.openFresh(host()), before, {
        timeoutMs: 3_000,
        intervalMs: 500,
      });
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(/^not back from reboot within 3s \(still on the same boot\)$/);
    } finally {
      await pool.closeAll();
    }
  });

  it('an unreachable host is not "back" either: the wait reports the connection error', async () => {
    const pool = newPool();
    try {
      const before = await readBootMarker(await pool.session(host()));
      await labStopSshd(lab(), host().name);
      const out = await waitForReboot(() => pool.openFresh(host()), before, {
        timeoutMs: 3_000,
        intervalMs: 500,
      });
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(/^not back from reboot within 3s \(.+\)$/);
      expect(out.error).not.toContain('same boot');
    } finally {
      await labStartSshd(lab(), host().name);
      await pool.closeAll();
    }
  });
});
