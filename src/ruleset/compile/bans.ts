/**
 * Bans, first in line: the raw table's PREROUTING jumps to FLEET-BANS as its first rule, so a
 * banned source is dropped before conntrack, before routing, before any rule of the filter or
 * nat tables (ufw, Docker's DOCKER-USER, Tailscale's ts-input, fail2ban) could accept it, for
 * INPUT and FORWARD alike. FLEET-BANS holds one DROP rule per banned CIDR (mode `rules`), or one
 * rule matching an ipset that the ban command fills (mode `ipset`: `fleet-bans4` / `fleet-bans6`,
 * which must exist on the host before the ruleset is restored). This is the one definition: the
 * fast path of `fleet ban` (src/ops/ban/rules.ts) writes these same rules, so apply after ban
 * shows no difference. Why raw PREROUTING: docs/bans.md.
 */
import type { Ban } from '../../model/ban.js';
import type { Chain, Family, Rule } from '../model.js';
import { normalizeAddress } from '../normalize/addresses.js';
import { BAN_SETS, CHAINS, originComment } from './names.js';

export type BanMode = 'rules' | 'ipset';

/** The table and the built-in chain whose first rule is the jump to FLEET-BANS. */
export const BAN_TABLE = 'raw';
export const BAN_HOOKS = ['PREROUTING'] as const;

const JUMP_COMMENT = originComment('bans', 'jump');

function withComment(chain: string, matches: string[], entry: string, target: string[]): Rule {
  const comment = originComment('bans', entry);
  return { chain, args: [...matches, '-m', 'comment', '--comment', comment, ...target], comment };
}

export function banJump(hook: string = BAN_HOOKS[0]): Rule {
  return withComment(hook, [], 'jump', ['-j', CHAINS.bans]);
}

/** Is this the jump to FLEET-BANS (which must stay the first rule of its chain)? */
export function isBanJump(rule: Rule): boolean {
  return rule.comment === JUMP_COMMENT && rule.args.at(-1) === CHAINS.bans;
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

/** The raw table's chains for bans: each hook starts with the jump; FLEET-BANS holds the drops. */
export function banChains(bans: readonly Ban[], family: Family, mode: BanMode): Chain[] {
  return [
    ...BAN_HOOKS.map((hook) => ({ name: hook, policy: 'ACCEPT' as const, rules: [banJump(hook)] })),
    { name: CHAINS.bans, policy: null, rules: banRules(bans, family, mode) },
  ];
}
