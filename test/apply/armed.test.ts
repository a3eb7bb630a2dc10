import { describe, expect, it } from 'vitest';
import { checkRollback, liveText } from '../../src/ops/apply/rollback-check.js';
import { armedText, parseArmed } from '../../src/ops/armed.js';

describe('armed transactions (the facts read /var/lib/fleet/armed/)', () => {
  const body = [
    '1770000000',
    'aaaa1111bb 1770000038 /var/backups/fleet/20261122T013028.123Z-aaaa1111bb',
    'cccc2222dd  /var/backups/fleet/20261122T013000.000Z-cccc2222dd',
    'eeee3333ff 1769999000 /var/backups/fleet/20261122T010000.000Z-eeee3333ff',
  ].join('\n');

  it('measure the time left on the host clock, from the deadline stored when arming', () => {
    const [a, b, c] = parseArmed(body);
    expect(a).toEqual({
      tx: 'aaaa1111bb',
      leftS: 38,
      backup: '/var/backups/fleet/20261122T013028.123Z-aaaa1111bb',
    });
    expect(armedText(a!)).toBe(
      'awaiting confirmation of aaaa1111bb, 38 s left; the watchdog will restore 20261122T013028.123Z-aaaa1111bb',
    );
    expect(b?.leftS).toBeNull();
    expect(armedText(c!)).toMatch(/never confirmed and its watchdog did not restore .* 1000 s ago/);
  });

  it('no marker: nothing armed', () => {
    expect(parseArmed('1770000000')).toEqual([]);
    expect(parseArmed(undefined)).toEqual([]);
  });
});

describe('the check after the watchdog fired', () => {
  const v4 = '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n';
  const v6new = '*filter\n:INPUT DROP [0:0]\nCOMMIT\n';

  it('compares IPv4 and IPv6 with the backup', () => {
    const ok = checkRollback({
      record: '2026-11-22T01:30:59Z rolled-back not confirmed in time, the watchdog fired: backup restored',
      live: { v4, v6: v4 },
      backup: { v4, v6: v4 },
    });
    expect(ok.ok).toBe(true);
    const v6left = checkRollback({ record: '', live: { v4, v6: v6new }, backup: { v4, v6: v4 } });
    expect(v6left).toMatchObject({ ok: false, v4Restored: true, v6Restored: false });
    expect(liveText(v6left)).toBe(
      "live now: IPv4 is the backup's, IPv6 is NOT the backup's (the unconfirmed new rules may still be live)",
    );
  });

  it('a failed restore in the record fails the check, with its error', () => {
    const v = checkRollback({
      record:
        '2026-11-22T01:30:59Z failed not confirmed in time, the watchdog fired: restore failed: ip6tables-restore: line 3 failed',
      live: { v4, v6: v4 },
      backup: { v4, v6: v4 },
    });
    expect(v).toMatchObject({ ok: false, restoreError: 'ip6tables-restore: line 3 failed' });
  });
});
