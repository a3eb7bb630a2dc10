/**
 * Default policy and exposure: INPUT's policy is DROP in every family the host filters
 * (`policy-input-drop`, critical), no rule lets every new connection in (`accept-all`,
 * critical), and IPv6 is filtered as well as IPv4 (`ipv6-covered`, warning). Pure.
 */

import type { Finding } from '../../model/finding.js';
import { type Family, findChain, findTable, type Ruleset, withBuiltins } from '../../ruleset/index.js';
import { joinArgs } from '../../ruleset/tokens.js';
import { advice } from './advice.js';
import { ANYWHERE, CLOSED_PORTS, newTcp, surelyAccepted } from './probe.js';
import { type AuditInput, finding } from './types.js';

export const FAMILY_NAME: Readonly<Record<Family, string>> = { 4: 'IPv4', 6: 'IPv6' };

/** The host's rulesets with their family (v6 only where the host has ip6tables). */
export function families(input: AuditInput): Ruleset[] {
  return input.live.v6 ? [input.live.v4, input.live.v6] : [input.live.v4];
}

export function inputPolicy(rs: Ruleset): string {
  const filter = findTable(rs, 'filter');
  const input = filter && findChain(withBuiltins(filter), 'INPUT');
  return input?.policy ?? 'ACCEPT';
}

export function policyChecks(input: AuditInput): Finding[] {
  return families(input)
    .filter((rs) => inputPolicy(rs) !== 'DROP')
    .map((rs) =>
      finding(
        'policy-input-drop',
        'critical',
        `${FAMILY_NAME[rs.family]} INPUT policy is ${inputPolicy(rs)} (expected DROP): whatever no rule drops gets in; ${advice(input, rs.family, (r) => inputPolicy(r) !== 'DROP', 'set policies.input: DROP')}`,
      ),
    );
}

/** Does a new connection from anywhere get in on every port nothing should open? */
export function acceptsAnything(rs: Ruleset): boolean {
  return CLOSED_PORTS.every((port) => surelyAccepted(rs, newTcp(rs.family, ANYWHERE[rs.family], port)));
}

export function acceptAllChecks(input: AuditInput): Finding[] {
  return families(input)
    .filter(acceptsAnything)
    .map((rs) =>
      finding(
        'accept-all',
        'critical',
        `${FAMILY_NAME[rs.family]} INPUT accepts new connections from anywhere to any port${culprit(rs)}: ${advice(input, rs.family, acceptsAnything, 'remove the rule that accepts everything')}`,
      ),
    );
}

/** `` (first unconditional ACCEPT: -A INPUT -j ACCEPT)`` when INPUT has one. */
function culprit(rs: Ruleset): string {
  const input = findChain(findTable(rs, 'filter'), 'INPUT');
  const rule = input?.rules.find((r) => joinArgs(withoutComment(r.args)) === '-j ACCEPT');
  return rule ? ` (first unconditional ACCEPT: -A INPUT ${joinArgs(rule.args)})` : '';
}

export function withoutComment(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-m' && args[i + 1] === 'comment') i += 1;
    else if (args[i] === '--comment') i += 1;
    else out.push(args[i]!);
  }
  return out;
}

export function ipv6Checks(input: AuditInput): Finding[] {
  const { live, extras } = input;
  if (!live.v6) {
    if (extras.ipv6Addresses.length === 0) return [];
    return [
      finding(
        'ipv6-covered',
        'warning',
        `the host has IPv6 addresses (${extras.ipv6Addresses.slice(0, 3).join(', ')}) but no ip6tables: IPv6 is not filtered; install ip6tables and \`fleet apply ${input.host.name}\``,
      ),
    ];
  }
  const port = CLOSED_PORTS[2];
  const v4 = surelyAccepted(live.v4, newTcp(4, ANYWHERE[4], port));
  const v6 = surelyAccepted(live.v6, newTcp(6, ANYWHERE[6], port));
  if (v4 || !v6) return [];
  return [
    finding(
      'ipv6-covered',
      'warning',
      `IPv6 lets in what IPv4 drops (a new TCP connection from anywhere to port ${port}): the IPv6 rules do not match the IPv4 ones; ${advice(input, 6, (r) => surelyAccepted(r, newTcp(6, ANYWHERE[6], port)), 'make the IPv6 rules drop it')}`,
    ),
  ];
}
