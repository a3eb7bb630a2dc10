/**
 * After the watchdog fired: did its restore bring back the backup, family by family? The
 * watchdog's own record says whether each restore succeeded; the live rules, compared with the
 * backup (IPv4 and IPv6), say what is live now. Pure.
 */
import { sameRules } from '../host-plan.js';

export interface RollbackState {
  /** The last line of the transaction's outcome record (`<time> <outcome> <detail>`). */
  record: string;
  live: { v4: string; v6: string | null };
  backup: { v4: string | null; v6: string | null };
}

export interface RollbackVerdict {
  ok: boolean;
  /** The restore errors the watchdog recorded ('' when none). */
  restoreError: string;
  /** Per family: whether the live rules are the backup's (null: nothing to compare). */
  v4Restored: boolean | null;
  v6Restored: boolean | null;
}

export function checkRollback(s: RollbackState): RollbackVerdict {
  const [, outcome = '', ...rest] = s.record.trim().split(' ');
  const restoreError =
    outcome === 'failed' ? (/restore failed: (.*)$/.exec(rest.join(' '))?.[1] ?? rest.join(' ')) : '';
  const v4Restored = s.backup.v4 === null ? null : sameRules(s.live.v4, s.backup.v4, 4);
  const v6Restored = s.backup.v6 === null || s.live.v6 === null ? null : sameRules(s.live.v6, s.backup.v6, 6);
  const ok = !restoreError && v4Restored !== false && v6Restored !== false;
  return { ok, restoreError, v4Restored, v6Restored };
}

/** What is live, in words: `IPv4 is the backup's, IPv6 is NOT (...)`. */
export function liveText(v: RollbackVerdict): string {
  const fam = (name: string, restored: boolean | null) =>
    restored === null
      ? `${name} not compared`
      : restored
        ? `${name} is the backup's`
        : `${name} is NOT the backup's (the unconfirmed new rules may still be live)`;
  return `live now: ${fam('IPv4', v.v4Restored)}, ${fam('IPv6', v.v6Restored)}`;
}
