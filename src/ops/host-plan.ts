/**
 * A host's plan: its live rules against what its profile compiles to, per family — the diff a
 * person reads (plan, audit) and the restore text apply sends. Pure.
 */
import {
  type Claims,
  type CompileOutput,
  diff,
  parseSave,
  planRestore,
  type RestorePlan,
  type RulesetDiff,
  renderDiff,
} from '../ruleset/index.js';
import type { LiveRules } from './facts.js';

export interface FamilyPlan {
  diff: RulesetDiff;
  restore: RestorePlan;
}

export interface HostPlan {
  v4: FamilyPlan;
  /** null when the host has no ip6tables. */
  v6: FamilyPlan | null;
  added: number;
  removed: number;
  policies: number;
  changed: boolean;
  /** Unified diff of both families ('' when nothing would change). */
  diffText: string;
}

export function planHost(live: LiveRules, compiled: CompileOutput, ip6tables: boolean): HostPlan {
  const claims = { preserve: compiled.preserve, takeover: compiled.takeover, exact: compiled.exact };
  const v4 = planFamily(live.v4, compiled.rulesets.v4, claims);
  const v6 = ip6tables ? planFamily(live.v6 ?? '', compiled.rulesets.v6, claims) : null;
  const fams = v6 ? [v4, v6] : [v4];
  const sum = (f: (d: RulesetDiff) => number) => fams.reduce((n, p) => n + f(p.diff), 0);
  return {
    v4,
    v6,
    added: sum((d) => d.added),
    removed: sum((d) => d.removed),
    policies: sum((d) => d.policyChanges),
    changed: fams.some((p) => !p.diff.empty),
    diffText: fams.map((p) => renderDiff(p.diff)).join(''),
  };
}

function planFamily(liveText: string, desired: CompileOutput['rulesets']['v4'], claims: Claims): FamilyPlan {
  const current = parseSave(liveText, { family: desired.family });
  return {
    diff: diff(current, desired, claims),
    restore: planRestore(current, desired, claims, 'fleet apply'),
  };
}

/** Whether two iptables-save texts hold the same rules (counters and comments aside). */
export function sameRules(a: string, b: string, family: 4 | 6): boolean {
  return diff(parseSave(a, { family }), parseSave(b, { family })).empty;
}

/** One line for a summary table: `+3 -1 ~1`. */
export function deltaText(p: Pick<HostPlan, 'added' | 'removed' | 'policies'>): string {
  return `+${p.added} -${p.removed}${p.policies ? ` ~${p.policies}` : ''}`;
}
