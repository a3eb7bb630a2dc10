/**
 * A host's plan: its live rules against what its profile compiles to, per family — the diff a
 * person reads (plan, audit) and the restore text apply sends. Pure.
 */
import {
  type Claims,
  type Coexistence,
  type CompileOutput,
  coexistence,
  diff,
  joinCoexistence,
  liveAfter,
  mergedLockout,
  parseSave,
  planRestore,
  type RestorePlan,
  type Ruleset,
  type RulesetDiff,
  renderDiff,
} from '../ruleset/index.js';
import { checkCoexistence, coexistText, type HostCoexistence } from './coexist-check.js';
import type { LiveRules } from './facts.js';

export interface FamilyPlan {
  /** The live rules as read (parsed once: audit's checks read them too). */
  current: Ruleset;
  diff: RulesetDiff;
  restore: RestorePlan;
  coexistence: Coexistence;
  /** Every table the host holds after the apply: what the lockout guard checks again. */
  after: Ruleset;
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
  /** The other tools on the host, and whether fleet refuses it (docs/coexistence.md). */
  coexistence: HostCoexistence;
}

/**
 * `active`: the tools the facts found running that rebuild their chains (ufw, firewalld).
 * The lockout guard runs again here, on the rules as they will be live: fleet's merged with the
 * others' it keeps (a refusal like the other coexistence refusals; skipped with --force).
 */
export function planHost(
  live: LiveRules,
  compiled: CompileOutput,
  ip6tables: boolean,
  active: readonly string[] = [],
): HostPlan {
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
    coexistence: checkCoexistence(joinCoexistence(fams.map((p) => p.coexistence)), {
      profile: compiled.profile ?? 'of this host',
      takeover: compiled.takeover,
      active,
      force: compiled.force === true,
      exact: compiled.exact === true,
      lockout:
        compiled.guard && !compiled.exact
          ? mergedLockout(
              compiled.guard,
              fams.map((p) => p.after),
            )
          : [],
    }),
  };
}

function planFamily(liveText: string, desired: CompileOutput['rulesets']['v4'], claims: Claims): FamilyPlan {
  const current = parseSave(liveText, { family: desired.family });
  const restore = planRestore(current, desired, claims, 'fleet apply');
  return {
    current,
    diff: diff(current, desired, claims),
    restore,
    coexistence: coexistence(current, restore.ruleset),
    after: liveAfter(current, restore.ruleset),
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

/** A plan's counts for HostResult.data, with the other tools on the host when there are some. */
export function planData(plan: HostPlan): Record<string, unknown> {
  const { added, removed, policies } = plan;
  const c = plan.coexistence;
  const shared = c.tools.length > 0 || c.kept > 0 || c.refused !== undefined;
  return { added, removed, policies, ...(shared && { coexistence: c }) };
}

/** `+3 -1; docker, fail2ban: 12 rules kept`. */
export function withCoexistence(detail: string, plan: Pick<HostPlan, 'coexistence'>): string {
  const shared = coexistText(plan.coexistence);
  return shared ? `${detail}; ${shared}` : detail;
}
