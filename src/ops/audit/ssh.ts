/**
 * SSH exposure: new SSH connections are rate-limited (`ssh-rate-limit`, warning) and accepted
 * only from known sources — the profile's ssh.sources and the inventory's management sources
 * (`ssh-sources`, warning). Pure, over the live rules.
 */

import type { Finding } from '../../model/finding.js';
import type { Ruleset } from '../../ruleset/index.js';
import { advice } from './advice.js';
import { FAMILY_NAME, families } from './policy.js';
import { ANYWHERE, newTcp, outsider, pathRules, surelyAccepted, targetName, usesModule } from './probe.js';
import { type AuditInput, finding } from './types.js';

const RATE_MODULES = ['recent', 'hashlimit', 'limit', 'connlimit'];
const LIMIT_TARGETS = new Set(['DROP', 'REJECT', 'ACCEPT', 'RETURN']);

export function sshPort(input: AuditInput): number {
  return input.profile.ssh.port;
}

export function sshSourceChecks(input: AuditInput): Finding[] {
  const known = [...input.profile.ssh.sources, ...input.management].map((s) => s.cidr);
  const port = sshPort(input);
  return families(input).flatMap((rs) => {
    const from = outsider(rs.family, known);
    if (!surelyAccepted(rs, newTcp(rs.family, from, port))) return [];
    return [
      finding(
        'ssh-sources',
        'warning',
        `${FAMILY_NAME[rs.family]}: SSH (tcp/${port}) accepts new connections from any address (tried ${from.replace(/\/\d+$/, '')}), not only known sources: ${advice(input, rs.family, (r) => surelyAccepted(r, newTcp(rs.family, from, port)), 'list only known sources in ssh.sources')}`,
      ),
    ];
  });
}

/** Is there a rate-limiting rule on the way of a new SSH connection? */
export function sshRateLimited(rs: Ruleset, port: number): boolean {
  return pathRules(rs, newTcp(rs.family, ANYWHERE[rs.family], port)).some(
    (r) => usesModule(r, ...RATE_MODULES) && LIMIT_TARGETS.has(targetName(r) ?? ''),
  );
}

export function sshRateChecks(input: AuditInput): Finding[] {
  const port = sshPort(input);
  return families(input)
    .filter((rs) => !sshRateLimited(rs, port))
    .map((rs) =>
      finding(
        'ssh-rate-limit',
        'warning',
        `${FAMILY_NAME[rs.family]}: new SSH connections (tcp/${port}) are not rate-limited (no recent, hashlimit, limit or connlimit rule on their way): ${advice(input, rs.family, (r) => !sshRateLimited(r, port), 'set ssh.rate_limit')}`,
      ),
    );
}
