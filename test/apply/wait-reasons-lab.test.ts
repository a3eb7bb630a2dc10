/**
 * A host that waits for a lock says why, in the plain progress lines and on a terminal's board,
 * and goes on when the lock frees: fleet's own lock held by another run (apply --wait-lock),
 * and apt's lock held by another process (update). The locks are held on a real lab host by a
 * separate SSH command, as another operator or an unattended upgrade would.
 */
import { describe, expect, it } from 'vitest';
import type { LabInfo } from '../../src/lab/index.js';
import { fleetOnLab as fleet } from '../support/cli.js';
import { HOLD_DPKG_LOCK } from '../support/dpkg-lock.js';
import { labSsh, useLab } from '../support/lab.js';
import { fleetOnPty } from '../support/pty.js';
import { repoWithProfiles } from './helpers.js';

const lab = useLab({ name: 'twait', count: 1, group: 'web-servers' });

/** fleet's host lock held for $1 seconds by "alice@ws", the way a fleet run holds it (lock + owner file). */
const HOLD_FLEET_LOCK = `setsid sh -c '
  exec 9>>/run/lock/fleet.lock; flock 9
  printf "%s alice@ws pid 7 since 12:01\\n" $$ > /run/lock/fleet.lock.owner
  : > /run/fleet-held; sleep "$1"; rm -f /run/lock/fleet.lock.owner /run/fleet-held
' sh "$1" >/dev/null 2>&1 </dev/null &`;

async function hold(l: LabInfo, script: string, seconds: number, flag: string): Promise<void> {
  const h = l.hosts[0]!;
  await labSsh(l, h.address, `sh -c '${script.replace(/'/g, `'\\''`)}' sh ${seconds}`);
  const held = () => labSsh(l, h.address, `test -e ${flag} && echo held`).then((r) => r.stdout.trim());
  await expect.poll(held, { timeout: 5_000 }).toBe('held');
}

describe('progress says why a host waits', () => {
  it("apply --wait-lock: waiting for fleet's lock, naming its holder, then applies", async () => {
    const dir = repoWithProfiles('wait');
    const host = lab().hosts[0]!.name;
    await hold(lab(), HOLD_FLEET_LOCK, 8, '/run/fleet-held');
    const run = await fleet(dir, lab(), 'apply', host, '--wait-lock', '1m');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(
        `${host} waiting for fleet's lock held by alice@ws pid 7 since 12:01\\n.*${host} wait over`,
        's',
      ),
    );
    expect(run.report?.hosts[0]?.status).toBe('changed');
  });

  it('without --wait-lock the host is refused at once, naming the holder (as before)', async () => {
    const dir = repoWithProfiles('nowait');
    await hold(lab(), HOLD_FLEET_LOCK, 8, '/run/fleet-held');
    const run = await fleet(dir, lab(), 'apply', lab().hosts[0]!.name);
    expect(run.report?.hosts[0]?.detail).toContain('locked by another fleet run: alice@ws pid 7');
    expect(run.stderr).not.toContain('waiting for');
  });

  it("update: waiting for apt's lock, naming the process, then updates", async () => {
    const dir = repoWithProfiles('aptwait');
    const host = lab().hosts[0]!.name;
    await hold(lab(), HOLD_DPKG_LOCK, 8, '/run/lock-held');
    const run = await fleet(dir, lab(), 'update', host);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(
        `${host} waiting for apt's lock \\(/var/lib/dpkg/lock-frontend, held by pid \\d+ perl\\)\\n.*${host} wait over`,
        's',
      ),
    );
    expect(run.report?.hosts[0]?.detail).toContain('fleet-lab-canary');
  });

  // Held long enough that the CLI's start on a loaded machine does not outlast it.
  it("on a terminal, the host's line shows the wait", async () => {
    const dir = repoWithProfiles('ttywait');
    await hold(lab(), HOLD_FLEET_LOCK, 15, '/run/fleet-held');
    const args = [
      '-C',
      dir,
      'apply',
      lab().hosts[0]!.name,
      '-i',
      lab().inventoryPath,
      '--yes',
      '--wait-lock',
      '1m',
    ];
    const run = await fleetOnPty(args);
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toContain("lock: waiting for fleet's lock held by alice@ws pid 7 since 12:01");
  });
});
