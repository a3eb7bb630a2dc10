/**
 * Drift: the live rules against what the profile compiles to (`drift`, warning; the diff goes
 * to the host's result; a host apply would refuse says why instead of advising apply, and
 * `coexistence` says so when nothing else differs), other tools' chains listed apart
 * (`foreign-chains`, info: not drift),
 * and a host whose two iptables backends both hold rules (`iptables-backend`, warning). Pure.
 */
import type { Finding } from '../../model/finding.js';
import { knownForeignOwner } from '../../ruleset/index.js';
import { mixedBackend } from '../facts.js';
import { deltaText } from '../host-plan.js';
import { type AuditInput, finding } from './types.js';

export function driftChecks(input: AuditInput): Finding[] {
  const { plan } = input;
  const refused = plan.coexistence.refused;
  // The advice must be one that works: apply refuses a host it would break (docs/coexistence.md).
  if (!plan.changed)
    return refused
      ? [finding('coexistence', 'warning', `\`fleet apply\` refuses this host: ${refused}`)]
      : [];
  const advice = refused
    ? `\`fleet apply\` refuses this host: ${refused}`
    : `\`fleet apply ${input.host.name}\` puts the profile's rules back`;
  return [
    finding(
      'drift',
      'warning',
      `live rules differ from profile ${input.profile.name} (${deltaText(plan)}: + rules the profile has and the host lacks, - rules only the host has, ~ policies): see the diff; ${advice}`,
    ),
  ];
}

export function foreignChecks(input: AuditInput): Finding[] {
  const { plan } = input;
  const foreign = [
    ...plan.v4.diff.foreign.map((f) => ({ ...f, fam: 'v4' })),
    ...(plan.v6?.diff.foreign ?? []).map((f) => ({ ...f, fam: 'v6' })),
  ];
  if (foreign.length === 0) return [];
  const names = foreign.map((f) => {
    const owner = knownForeignOwner(f.chain);
    return `${f.fam} ${f.table}/${f.chain} (${f.rules} rules${owner ? `, ${owner}` : ''})`;
  });
  return [
    finding(
      'foreign-chains',
      'info',
      `chains of other tools, left alone and not counted as drift: ${names.join(', ')}`,
    ),
  ];
}

export function backendChecks(input: AuditInput): Finding[] {
  const mixed = mixedBackend(input.facts);
  return mixed ? [finding('iptables-backend', 'warning', mixed)] : [];
}
