/** Every check family over one host's data, findings worst first, and the summary line. Pure. */
import type { Finding, Severity } from '../../model/finding.js';
import { armedChecks } from './armed.js';
import { backupChecks } from './backups.js';
import { banChecks } from './bans.js';
import { backendChecks, driftChecks, foreignChecks } from './drift.js';
import { logChecks } from './logging.js';
import { persistChecks } from './persistence.js';
import { acceptAllChecks, ipv6Checks, policyChecks } from './policy.js';
import { sshRateChecks, sshSourceChecks } from './ssh.js';
import type { AuditInput, Check } from './types.js';
import { updateChecks } from './updates.js';

/** In the order findings of equal severity are listed. */
export const CHECKS: readonly Check[] = [
  policyChecks,
  acceptAllChecks,
  banChecks,
  armedChecks,
  driftChecks,
  backendChecks,
  ipv6Checks,
  sshSourceChecks,
  sshRateChecks,
  logChecks,
  persistChecks,
  backupChecks,
  updateChecks,
  foreignChecks,
];

const RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

export function runChecks(input: AuditInput): Finding[] {
  const all = CHECKS.flatMap((check) => check(input));
  return all
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** `clean` / `clean (2 info)` / `1 critical, 2 warning: policy-input-drop, drift, rules-persisted`. */
export function auditDetail(findings: readonly Finding[]): string {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const serious = findings.filter((f) => f.severity !== 'info');
  if (serious.length === 0) return count('info') ? `clean (${count('info')} info)` : 'clean';
  const counts = (['critical', 'warning'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}`);
  const checks = [...new Set(serious.map((f) => f.check))];
  return `${counts.join(', ')}: ${checks.join(', ')}`;
}

/** True when a finding should make the command exit 1 (warning or critical). */
export function isSerious(f: Finding): boolean {
  return f.severity !== 'info';
}
