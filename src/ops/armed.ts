/**
 * Transactions armed on a host: swapped, not yet confirmed, their watchdog counting down. The
 * facts read `/var/lib/fleet/armed/` (each marker: the backup the watchdog restores, then its
 * deadline on the host's clock); the time left is measured on that clock. Pure.
 */
import { HOST_STATE_DIR } from './apply/paths.js';

export interface ArmedTx {
  tx: string;
  /** The backup the watchdog restores (its path on the host). */
  backup: string;
  /** Seconds until the watchdog fires (negative: overdue); null when no deadline was recorded. */
  leftS: number | null;
}

/** Past the deadline by more than this, the watchdog is taken to have died (host rebooted...). */
export const OVERDUE_S = 15;

/** The facts' `armed` section: the host's clock (s), then `tx deadline backup` per marker. */
export function parseArmed(body: string | undefined): ArmedTx[] {
  const [clock, ...rows] = (body ?? '').split('\n');
  const now = Number(clock?.trim());
  return rows.flatMap((row) => {
    const m = /^(\S+) (\d*) (.*)$/.exec(row.trim());
    if (!m) return [];
    const leftS = m[2] && Number.isFinite(now) ? Number(m[2]) - now : null;
    return [{ tx: m[1]!, backup: m[3]!, leftS }];
  });
}

/** The backup's name (what `fleet backups` lists and `fleet restore --at` takes). */
function backupName(path: string): string {
  return path.split('/').at(-1) ?? path;
}

export function isOverdue(a: ArmedTx): boolean {
  return a.leftS !== null && a.leftS < -OVERDUE_S;
}

/** What plan, apply and audit say about an armed transaction. */
export function armedText(a: ArmedTx): string {
  const backup = backupName(a.backup);
  if (isOverdue(a)) {
    return `transaction ${a.tx} was never confirmed and its watchdog did not restore ${backup} (deadline passed ${-(a.leftS ?? 0)} s ago: was the host rebooted?); the live rules may be unconfirmed: check them, then remove ${HOST_STATE_DIR}/armed/${a.tx}`;
  }
  const left = a.leftS === null ? 'its deadline not recorded' : `${Math.max(0, a.leftS)} s left`;
  return `awaiting confirmation of ${a.tx}, ${left}; the watchdog will restore ${backup}`;
}
