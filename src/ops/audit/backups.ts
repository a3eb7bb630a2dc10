/**
 * A backup is present and recent (`backup-recent`, warning): fleet apply saves the rules it
 * replaces in /var/backups/fleet before every swap; rollback and restore need one. The age is
 * measured on the host's clock; `--backup-max-age 0` turns the age part off.
 */

import type { Finding } from '../../model/finding.js';
import { HOST_BACKUP_DIR } from '../apply/paths.js';
import { SNAPSHOT_AFTER_S } from '../apply/upkeep.js';
import { type AuditInput, finding } from './types.js';

const DAY_S = 86_400;

export function backupChecks(input: AuditInput): Finding[] {
  const { backups, now } = input.extras;
  const max = input.settings.backupMaxAgeS;
  if (backups.newest === null) {
    return [
      finding(
        'backup-recent',
        'warning',
        `no fleet backup in ${HOST_BACKUP_DIR}: rollback and restore have nothing to go back to; \`fleet apply ${input.host.name}\` makes one`,
      ),
    ];
  }
  const age = now - backups.newest;
  if (max <= 0 || age <= max) return [];
  return [
    finding(
      'backup-recent',
      'warning',
      `the newest fleet backup (${backups.newestPath ?? HOST_BACKUP_DIR}) is ${ageText(age)} old, older than ${ageText(max)} (--backup-max-age); ${refresh(input, max)}`,
    ),
  ];
}

export function ageText(seconds: number): string {
  if (seconds >= 2 * DAY_S) return `${Math.floor(seconds / DAY_S)} days`;
  if (seconds >= 7200) return `${Math.floor(seconds / 3600)} hours`;
  return `${Math.max(0, Math.floor(seconds / 60))} minutes`;
}

/** What takes a new backup: apply does when the newest is older than SNAPSHOT_AFTER_S. */
function refresh(input: AuditInput, max: number): string {
  const apply = `\`fleet apply ${input.host.name}\``;
  if (max >= SNAPSHOT_AFTER_S) return `${apply} takes a new one`;
  return `${apply} takes a new one at its next change, or once the newest is ${ageText(SNAPSHOT_AFTER_S)} old`;
}
