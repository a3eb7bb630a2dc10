/**
 * A transaction awaiting its confirmation (`armed`, warning): the live rules are unconfirmed
 * and the host's watchdog will replace them with a backup when its deadline comes — or, overdue,
 * its watchdog did not fire (the host rebooted?) and unconfirmed rules stay. Either way the
 * host is not converged, whatever the drift check says now.
 */
import type { Finding } from '../../model/finding.js';
import { armedText } from '../armed.js';
import { type AuditInput, finding } from './types.js';

export function armedChecks(input: AuditInput): Finding[] {
  return input.facts.armed.map((a) => finding('armed', 'warning', armedText(a)));
}
