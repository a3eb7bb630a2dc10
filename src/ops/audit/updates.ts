/**
 * Packages: pending upgrades (`updates-pending`: info, warning when any comes from a security
 * source), a reboot the host asks for (`reboot-required`, warning), and a package manager that
 * could not answer (`updates-unknown`, info). Read from the host's current package lists.
 */
import type { Finding } from '../../model/finding.js';
import { type AuditInput, finding } from './types.js';

const SHOWN = 5;

export function updateChecks(input: AuditInput): Finding[] {
  const u = input.extras.updates;
  const out: Finding[] = [];
  const name = input.host.name;
  if (u.error)
    out.push(
      finding('updates-unknown', 'info', `${u.packageManager} could not list pending updates: ${u.error}`),
    );
  if (u.security.length > 0)
    out.push(
      finding(
        'updates-pending',
        'warning',
        `${count(u.security, 'security update')} pending: ${list(u.security)}; \`fleet update ${name} --security-only\``,
      ),
    );
  else if (u.pending.length > 0)
    out.push(
      finding(
        'updates-pending',
        'info',
        `${count(u.pending, 'package update')} pending: ${list(u.pending)}; \`fleet update ${name}\``,
      ),
    );
  if (u.rebootRequired)
    out.push(
      finding(
        'reboot-required',
        'warning',
        `the host asks for a reboot (after package updates): \`fleet update ${name} --reboot-if-needed\` or reboot it`,
      ),
    );
  return out;
}

function count(names: readonly string[], what: string): string {
  return `${names.length} ${what}${names.length === 1 ? '' : 's'}`;
}

function list(names: readonly string[]): string {
  const more = names.length > SHOWN ? ` and ${names.length - SHOWN} more` : '';
  return `${names.slice(0, SHOWN).join(', ')}${more}`;
}
