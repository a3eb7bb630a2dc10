/**
 * Rules persisted so a reboot keeps them (`rules-persisted`, warning): the file the boot loads
 * (/etc/iptables/rules.v4 or /etc/sysconfig/iptables, and the v6 one) exists and holds the live
 * rules — compared as rulesets, so counters, comments and line order of tables do not count.
 */
import type { Finding } from '../../model/finding.js';
import { diff, type Family, parseSave, type Ruleset } from '../../ruleset/index.js';
import { families, withoutComment } from './policy.js';
import { type AuditInput, finding } from './types.js';

export function persistChecks(input: AuditInput): Finding[] {
  return families(input).flatMap((rs) => {
    const problem = persistProblem(rs, fileText(input, rs.family));
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

/** undefined when the file holds the live rules; else what is wrong with it. */
export function persistProblem(live: Ruleset, text: string | null): string | undefined {
  if (text === null) return 'is missing';
  let saved: Ruleset;
  try {
    saved = parseSave(text, { family: live.family, file: 'persisted' });
  } catch {
    return 'is not iptables-save text';
  }
  const d = diff(stripComments(saved), stripComments(live));
  if (d.empty) return undefined;
  const policies = d.policyChanges ? `, ${d.policyChanges} chain policies differ` : '';
  return `differs from the live rules (${d.added} live rules missing from it, ${d.removed} rules in it not live${policies})`;
}

function stripComments(rs: Ruleset): Ruleset {
  const tables = rs.tables.map((t) => ({
    ...t,
    chains: t.chains.map((c) => ({
      ...c,
      rules: c.rules.map((r) => ({ chain: r.chain, args: withoutComment(r.args) })),
    })),
  }));
  return { family: rs.family, tables };
}
