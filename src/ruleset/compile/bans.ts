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
import { type Ban, banUntil } from '../../model/ban.js';
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

/**
 * Rules mode: a timed ban's comment carries its expiry, so the host itself knows when to lift it
 * (src/ops/ban/script.ts arms a timer for the earliest): `fleet:bans:203.0.113.7/32,until=EPOCH`,
 * EPOCH the whole second at or after `expires` (the host never lifts a ban early). Permanent:
 * `fleet:bans:203.0.113.7/32`. No space or quote: the ban script compares rule texts as words.
 */
export const BAN_UNTIL = ',until=';

/** The comment entry of a rules-mode ban (after `fleet:bans:`). */
export function banEntry(cidr: string, until?: number): string {
  return until === undefined ? cidr : `${cidr}${BAN_UNTIL}${until}`;
}

/** A rules-mode comment entry read back: the CIDR and, for a timed ban, its end (epoch s). */
export function parseBanEntry(entry: string): { cidr: string; until?: number } {
  const i = entry.indexOf(BAN_UNTIL);
  if (i < 0) return { cidr: entry };
  const until = entry.slice(i + BAN_UNTIL.length);
  return /^[1-9][0-9]{0,11}$/.test(until)
    ? { cidr: entry.slice(0, i), until: Number(until) }
    : { cidr: entry };
}

/** One rules-mode DROP with `entry` as its comment entry (the ban script's template uses it too). */
export function banRuleWith(cidr: string, entry: string): Rule {
  return withComment(CHAINS.bans, ['-s', cidr], entry, ['-j', 'DROP']);
}

/** Of two ends (undefined: permanent), the later. */
function longer(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : Math.max(a, b);
}

export function banRules(bans: readonly Ban[], family: Family, mode: BanMode): Rule[] {
  if (mode === 'ipset') {
    const set = BAN_SETS[family];
    return [withComment(CHAINS.bans, ['-m', 'set', '--match-set', set, 'src'], set, ['-j', 'DROP'])];
  }
  // One rule per CIDR; written twice (the list and a host-held ban), the longer-lived one wins.
  const until = new Map<string, number | undefined>();
  for (const b of bans.filter((x) => x.family === family)) {
    const cidr = normalizeAddress(b.cidr, family);
    const u = banUntil(b.expires);
    until.set(cidr, until.has(cidr) ? longer(until.get(cidr), u) : u);
  }
  return [...until.keys()].sort().map((cidr) => banRuleWith(cidr, banEntry(cidr, until.get(cidr))));
}

/** The raw table's chains for bans: each hook starts with the jump; FLEET-BANS holds the drops. */
export function banChains(bans: readonly Ban[], family: Family, mode: BanMode): Chain[] {
  return [
    ...BAN_HOOKS.map((hook) => ({ name: hook, policy: 'ACCEPT' as const, rules: [banJump(hook)] })),
    { name: CHAINS.bans, policy: null, rules: banRules(bans, family, mode) },
  ];
}
