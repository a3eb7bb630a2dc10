/**
 * FLEET-BANS: one DROP rule per banned CIDR (mode `rules`), or one rule matching an ipset that
 * the ban command fills (mode `ipset`: `fleet-bans4` / `fleet-bans6`, which must exist on the host
 * before the ruleset is restored). INPUT and FORWARD jump here first. The same rules as the fast
 * path of `fleet ban` (src/ops/ban/rules.ts), so apply after ban shows no difference.
 */
import type { Ban } from '../../model/ban.js';
import type { Family, Rule } from '../model.js';
import { normalizeAddress } from '../normalize/addresses.js';
import { BAN_SETS, CHAINS, originComment } from './names.js';

export type BanMode = 'rules' | 'ipset';

/** Chains that jump to FLEET-BANS as their first rule. */
export const BAN_HOOKS = ['INPUT', 'FORWARD'] as const;

function withComment(chain: string, matches: string[], entry: string, target: string[]): Rule {
  const comment = originComment('bans', entry);
  return { chain, args: [...matches, '-m', 'comment', '--comment', comment, ...target], comment };
}

export function banJump(hook: string): Rule {
  return withComment(hook, [], 'jump', ['-j', CHAINS.bans]);
}

export function banRules(bans: readonly Ban[], family: Family, mode: BanMode): Rule[] {
  if (mode === 'ipset') {
    const set = BAN_SETS[family];
    return [withComment(CHAINS.bans, ['-m', 'set', '--match-set', set, 'src'], set, ['-j', 'DROP'])];
  }
  const cidrs = [
    ...new Set(bans.filter((b) => b.family === family).map((b) => normalizeAddress(b.cidr, family))),
  ];
  return cidrs.sort().map((cidr) => withComment(CHAINS.bans, ['-s', cidr], cidr, ['-j', 'DROP']));
}
