/**
 * Rules persisted so a reboot keeps them (`rules-persisted`, warning): the file the boot loads
 * (/etc/iptables/rules.v4 or /etc/sysconfig/iptables, and the v6 one) exists and holds the live
 * rules — compared as rulesets, so counters, comments and line order of tables do not count —
 * except what other tools own (their chains and rules, by the same ownership as apply's:
 * docs/coexistence.md). Docker, fail2ban or Calico rebuild their rules when they start, so a
 * new container or jail since the last persist is not a stale boot file; fleet's rules, the
 * policies and any rule no tool owns (which a reboot would bring back or lose) are.
 * `fleet apply` persists whenever this finds a problem, also when no rule changes (upkeep.ts).
 */
import type { Finding } from '../../model/finding.js';
import {
  type Claims,
  diff,
  type Family,
  isBuiltinChain,
  keepsChain,
  keepsRule,
  ownershipOf,
  parseSave,
  type Ruleset,
} from '../../ruleset/index.js';
import { families, withoutComment } from './policy.js';
import { type AuditInput, finding } from './types.js';

export function persistChecks(input: AuditInput): Finding[] {
  const claims = { preserve: input.profile.preserve, takeover: input.profile.takeover ?? [] };
  return families(input).flatMap((rs) => {
    const problem = persistProblem(rs, fileText(input, rs.family), claims);
    if (!problem) return [];
    const path = rs.family === 4 ? input.facts.persistV4 : input.facts.persistV6;
    return [
      finding(
        'rules-persisted',
        'warning',
        `${path} ${problem}: a reboot ${problem === 'is missing' ? 'loses the rules' : 'loads other rules than the live ones'}; \`fleet apply ${input.host.name}\` persists them`,
      ),
    ];
  });
}

function fileText(input: AuditInput, family: Family): string | null {
  return family === 4 ? input.extras.persisted.v4 : input.extras.persisted.v6;
}

/** undefined when the file holds the live rules (other tools' aside); else what is wrong with it. */
export function persistProblem(
  live: Ruleset,
  text: string | null,
  claims: Claims = { preserve: [] },
): string | undefined {
  if (text === null) return 'is missing';
  let saved: Ruleset;
  try {
    saved = parseSave(text, { family: live.family, file: 'persisted' });
  } catch {
    return 'is not iptables-save text';
  }
  const d = diff(judged(saved, claims), judged(live, claims));
  if (d.empty) return undefined;
  const policies = d.policyChanges ? `, ${d.policyChanges} chain policies differ` : '';
  return `differs from the live rules (${d.added} live rules missing from it, ${d.removed} rules in it not live${policies})`;
}

/** A ruleset without what other tools own, and without comments. */
function judged(rs: Ruleset, claims: Claims): Ruleset {
  const own = ownershipOf(rs, claims);
  const tables = rs.tables.map((t) => ({
    ...t,
    chains: t.chains
      .filter((c) => isBuiltinChain(t.name, c.name) || !keepsChain(t.name, c.name, own))
      .map((c) => ({
        ...c,
        rules: c.rules
          .filter((r) => !isBuiltinChain(t.name, c.name) || !keepsRule(t.name, r, own))
          .map((r) => ({ chain: r.chain, args: withoutComment(r.args) })),
      })),
  }));
  return { family: rs.family, tables };
}
