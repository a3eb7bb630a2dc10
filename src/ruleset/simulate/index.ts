/**
 * Walk a packet through a ruleset the way netfilter would, conservatively: when a match cannot
 * be decided, both ways are followed, and the packet counts as let through only when every way
 * ends in ACCEPT. Marks are followed (marks.ts). Used by the lockout guard, on fleet's compiled
 * rules and on the rules merged with the host's (lockout-merged.ts), and by audit's probes.
 */
import { findChain, findTable, type Ruleset } from '../model.js';
import { type Block, splitRule } from '../normalize/groups.js';
import { normalizeArgs } from '../normalize.js';
import { applyMarkTarget, freshMarks, type MarkState } from './marks.js';
import { matchRule, type Packet, type RecentState } from './match.js';

export interface Where {
  table: string;
  chain: string;
  /** 1-based rule number; 0 for the chain's policy. */
  index: number;
  args: string[];
  /** Every way the packet can go ends here (no undecided match on the way). */
  sure?: boolean;
}

export interface Outcome {
  accepted: boolean;
  /** The first rule (or policy) that may drop the packet. */
  droppedBy?: Where;
}

const HOOKS = {
  in: [
    ['raw', 'PREROUTING'],
    ['mangle', 'PREROUTING'],
    ['nat', 'PREROUTING'],
    ['mangle', 'INPUT'],
    ['filter', 'INPUT'],
    ['security', 'INPUT'],
  ],
  out: [
    ['raw', 'OUTPUT'],
    ['mangle', 'OUTPUT'],
    ['filter', 'OUTPUT'],
    ['security', 'OUTPUT'],
    ['mangle', 'POSTROUTING'],
  ],
} as const;

const DROPS = new Set(['DROP', 'REJECT', 'TARPIT', 'QUEUE', 'NFQUEUE', 'DNAT', 'REDIRECT']);

interface Result {
  accept: boolean;
  drop?: Where;
  ret: boolean;
}

interface Ctx {
  rs: Ruleset;
  p: Packet;
  recent: RecentState;
  marks: MarkState;
  /** An undecided match that may have ended the traversal was met: later drops are not sure. */
  forked: boolean;
}

export function simulate(rs: Ruleset, p: Packet): Outcome {
  const marks = freshMarks(p.state === 'NEW');
  const ctx: Ctx = { rs, p, recent: new Map(), marks, forked: false };
  for (const [table, chain] of HOOKS[p.direction]) {
    if (table === 'nat' && p.state !== 'NEW') continue;
    const c = findChain(findTable(rs, table), chain);
    if (!c) continue;
    const r = runChain(ctx, table, chain, 0, true);
    const policyDrops = r.ret && c.policy !== 'ACCEPT';
    const sure = !ctx.forked;
    const policy = { table, chain, index: 0, args: [`policy ${c.policy}`], sure };
    const drop = r.drop ?? (policyDrops ? policy : undefined);
    if (drop) return { accepted: false, droppedBy: drop };
  }
  return { accepted: true };
}

/** `entered`: the chain is surely reached (every jump on the way surely matched). */
function runChain(ctx: Ctx, table: string, name: string, depth: number, entered: boolean): Result {
  const res: Result = { accept: false, ret: false };
  const chain = findChain(findTable(ctx.rs, table), name);
  if (!chain || depth > 32) return { accept: false, ret: true };
  for (const [i, rule] of chain.rules.entries()) {
    for (const args of normalizeArgs(rule.args, ctx.rs.family)) {
      const parts = splitRule(args);
      const m = matchRule(parts, ctx.p, ctx.recent, ctx.marks);
      if (m === 'no' || !parts.target) continue;
      const where: Where = { table, chain: name, index: i + 1, args: rule.args };
      // A sure match ends this chain's walk however it was entered (the caller, on a maybe
      // jump, goes on); `sure` says whether the whole traversal surely comes here.
      const sure = entered && m === 'yes';
      const ends = step(ctx, parts.target, where, depth, res, sure);
      if (ends && m === 'yes') return res;
      if (ends) ctx.forked = true;
    }
  }
  res.ret = true;
  return res;
}

/** Apply one matched rule's target to the result; true when the chain may end here. */
function step(
  ctx: Ctx,
  target: Block & { goto: boolean },
  where: Where,
  depth: number,
  res: Result,
  sure: boolean,
): boolean {
  if (target.name === 'ACCEPT') {
    res.accept = true;
    return true;
  }
  if (DROPS.has(target.name)) {
    res.drop ??= { ...where, sure: sure && !ctx.forked };
    return true;
  }
  if (target.name === 'RETURN') {
    res.ret = true;
    return true;
  }
  if (!findChain(findTable(ctx.rs, where.table), target.name)) {
    applyMarkTarget(target, ctx.marks, sure && !ctx.forked);
    return false; // LOG, MARK...: go on
  }
  const sub = runChain(ctx, where.table, target.name, depth + 1, sure);
  res.accept ||= sub.accept;
  res.drop ??= sub.drop;
  if (target.goto && sub.ret) res.ret = true;
  return target.goto || !sub.ret;
}
