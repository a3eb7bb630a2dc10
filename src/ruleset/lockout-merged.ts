/**
 * The lockout guard on the ruleset that will really be live: fleet's compiled rules merged with
 * the rules of other owners that fleet keeps (merge.ts, docs/coexistence.md). compile's guard
 * proved that fleet's own rules let SSH in; a drop found here is a rule fleet keeps — a tool's
 * jump above fleet's rules into a chain that ends in DROP (an inactive ufw's), a policy of a
 * table fleet does not write — that would cut the management path. The answer is the reasons to
 * refuse the host, each naming the rule, its owner and how to go on. Pure.
 */
import { chainOwner, ruleOwner } from './foreign.js';
import { blockedAt, type LockoutInput } from './lockout-guard.js';
import { findChain, findTable, isBuiltinChain, type Ruleset, targetOf } from './model.js';
import type { Where } from './simulate/index.js';
import { joinArgs } from './tokens.js';

/** Whom the guard protects: a host, its management path, its profile (compile() keeps it). */
export type LockoutTarget = Omit<LockoutInput, 'rulesets'>;

interface Blocked {
  where: Where;
  rs: Ruleset;
  sources: string[];
}

export function mergedLockout(target: LockoutTarget, after: readonly Ruleset[]): string[] {
  const found = new Map<string, Blocked>();
  for (const src of target.managementSources) {
    const rs = after.find((r) => r.family === src.family);
    const where = rs && blockedAt(rs, src, target.host);
    if (!rs || !where) continue;
    const key = `${rs.family} ${where.table} ${where.chain} ${where.index}`;
    const b = found.get(key) ?? { where, rs, sources: [] };
    b.sources.push(src.cidr);
    found.set(key, b);
  }
  return [...found.values()].map((b) => reason(target, b));
}

function reason(target: LockoutTarget, b: Blocked): string {
  const { where: w } = b;
  const from = `management source${b.sources.length > 1 ? 's' : ''} ${b.sources.join(', ')}`;
  const by = droppedBy(b);
  const rule = w.index === 0 ? '' : ` (${w.table} rule -A ${w.chain} ${joinArgs(w.args)})`;
  const [would, may] = w.sure
    ? ['would', '']
    : [
        'may',
        ' (a match on the way cannot be decided before the packet comes: an interface, a rate limit, a set)',
      ];
  return `lockout guard: SSH (tcp/${target.host.port}) from ${from} ${would} not get in once fleet's rules stand beside the ones it keeps on this host: ${by.what}${rule} ${would === 'may' ? 'may ' : ''}${verb(w)} it before fleet's rules can accept it${may}; ${fix(by.tool, target.profile.name, w)}, or pass --force (the watchdog still protects)`;
}

function verb(w: Where): string {
  const t = w.index === 0 ? 'DROP' : (targetOf(w.args) ?? 'DROP');
  const v = t === 'DNAT' || t === 'REDIRECT' ? 'redirect' : t === 'REJECT' ? 'reject' : 'drop';
  return w.sure ? `${v}s` : v;
}

function droppedBy({ where: w, rs }: Blocked): { what: string; tool?: string } {
  const chain = findChain(findTable(rs, w.table), w.chain);
  if (w.index === 0)
    return {
      what: `the ${w.table} ${w.chain} policy ${chain?.policy ?? ''} (fleet does not write ${w.table})`,
    };
  if (!isBuiltinChain(w.table, w.chain)) {
    const tool = chainOwner(w.chain)?.tool;
    return { what: tool ? `${tool}'s chain ${w.chain}` : `the chain ${w.chain}, which is not fleet's`, tool };
  }
  const rule = chain?.rules[w.index - 1];
  const tool = rule && ruleOwner(rule)?.tool;
  return {
    what: tool ? `${tool}'s rule in ${w.chain}` : `a rule in ${w.table} ${w.chain} that is not fleet's`,
    tool,
  };
}

function fix(tool: string | undefined, profile: string, w: Where): string {
  if (tool)
    return `if ${tool} is not in use, stop it and add \`takeover: [${tool}]\` to profile ${profile} (apply then deletes its chains and rules), else let the management path through in ${tool}'s own rules`;
  if (w.index === 0) return `set that policy to ACCEPT on the host`;
  const preserved = w.table === 'filter' && !isBuiltinChain(w.table, w.chain);
  const stop = preserved ? `, stop preserving ${w.chain} in profile ${profile}` : '';
  return `remove that rule from the host or make it let the management path through${stop}`;
}
