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

/**
 * fleet's host lock held by "alice@ws", the way a fleet run holds it (lock + owner file), until
 * /run/release exists (60 s at most): released once the host is seen waiting, however loaded
 * the machine is.
 */
const HOLD_FLEET_LOCK = `rm -f /run/release; setsid sh -c '
  exec 9>>/run/lock/fleet.lock; flock 9
  printf "%s alice@ws pid 7 since 12:01\\n" $$ > /run/lock/fleet.lock.owner
  : > /run/held; i=0
  while [ ! -e /run/release ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
  rm -f /run/lock/fleet.lock.owner /run/held
' >/dev/null 2>&1 </dev/null &`;

const on = (l: LabInfo, command: string) =>
  labSsh(l, l.hosts[0]!.address, command).then((r) => r.stdout.trim());

/** Hold a lock, run `run`; release the lock once `waiting` (a command on the host) prints something. */
async function whileHeld<T>(l: LabInfo, script: string, waiting: string, run: () => Promise<T>): Promise<T> {
  await on(l, script);
  await expect.poll(() => on(l, 'test -e /run/held && echo held'), { timeout: 20_000 }).toBe('held');
  const result = run();
  await expect.poll(() => on(l, waiting), { timeout: 60_000, interval: 300 }).not.toBe('');
  await on(l, ': > /run/release');
  const out = await result;
  await expect.poll(() => on(l, 'test -e /run/held || echo free'), { timeout: 20_000 }).toBe('free');
  return out;
}

/**
 * On the host: a fleet lock script waiting in `flock -w` (`[w]`: the pattern does not match the
 * shell running pgrep).
 */
const FLEET_WAITS = 'pgrep -f "flock -[w]" || true';

describe('progress says why a host waits', () => {
  it("apply --wait-lock: waiting for fleet's lock, naming its holder, then applies", async () => {
    const dir = repoWithProfiles('wait');
    const host = lab().hosts[0]!.name;
    const run = await whileHeld(lab(), HOLD_FLEET_LOCK, FLEET_WAITS, () =>
      fleet(dir, lab(), 'apply', host, '--wait-lock', '1m'),
    );
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
    await on(lab(), HOLD_FLEET_LOCK);
    await expect.poll(() => on(lab(), 'test -e /run/held && echo held'), { timeout: 20_000 }).toBe('held');
    const run = await fleet(dir, lab(), 'apply', lab().hosts[0]!.name);
    await on(lab(), ': > /run/release');
    expect(run.report?.hosts[0]?.detail).toContain('locked by another fleet run: alice@ws pid 7');
    expect(run.stderr).not.toContain('waiting for');
  });

  it("update: waiting for apt's lock, naming the process, then updates", async () => {
    const dir = repoWithProfiles('aptwait');
    const host = lab().hosts[0]!.name;
    // dpkg's frontend lock held for 15 s (test/support/dpkg-lock.ts), longer than the CLI takes to reach it.
    await on(lab(), `sh -c '${HOLD_DPKG_LOCK.replace(/'/g, `'\\''`)}' sh 15`);
    await expect
      .poll(() => on(lab(), 'test -e /run/lock-held && echo held'), { timeout: 20_000 })
      .toBe('held');
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

  it("on a terminal, the host's line shows the wait", async () => {
    const dir = repoWithProfiles('ttywait');
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
    // Released a second after the wait starts, so the board (redrawn every 0.1 s) has shown it.
    const run = await whileHeld(lab(), HOLD_FLEET_LOCK, `${FLEET_WAITS}; sleep 1`, () => fleetOnPty(args));
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toContain("lock: waiting for fleet's lock held by alice@ws pid 7 since 12:01");
  });
});
