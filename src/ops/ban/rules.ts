/**
 * What a ban looks like in the kernel, for the fast path (ops/ban): the rules themselves come
 * from the compiler's one definition (ruleset/compile/bans.ts), so `fleet apply` after
 * `fleet ban` shows no difference. raw table, both families:
 *   -A PREROUTING -m comment --comment fleet:bans:jump -j FLEET-BANS      (first rule)
 * mode `ipset` (the host has ipset): one rule, the addresses live in the set
 *   -A FLEET-BANS -m set --match-set fleet-bans4 src -m comment --comment fleet:bans:fleet-bans4 -j DROP
 * mode `rules`: one rule per ban, sorted by CIDR text (byte order); a timed one names its end
 *   -A FLEET-BANS -s 203.0.113.7/32 -m comment --comment fleet:bans:203.0.113.7/32,until=EPOCH -j DROP
 */
import {
  BAN_SETS,
  BAN_UNTIL,
  type BanMode,
  banJump,
  banRules,
  banRuleWith,
  CHAINS,
} from '../../ruleset/index.js';

export type { BanMode };
export { BAN_UNTIL };
export type Family = 4 | 6;

export const BAN_CHAIN = CHAINS.bans;
/**
 * ipset create options (after the name); the same for the live set and the one swapped in.
 * `timeout 0`: members may carry their own timeout (a timed ban lifts on the host by itself);
 * 0, the default, is permanent.
 */
export const SET_OPTIONS: Readonly<Record<Family, string>> = {
  4: 'hash:net family inet hashsize 1024 maxelem 1048576 timeout 0',
  6: 'hash:net family inet6 hashsize 1024 maxelem 1048576 timeout 0',
};

export function banSetName(family: Family): string {
  return BAN_SETS[family];
}

/** Arguments after `-A PREROUTING` (raw table). */
export function banJumpArgs(): string[] {
  return banJump().args;
}

/**
 * Arguments after `-A FLEET-BANS` in mode rules, with `cidr` where the CIDR goes and `entry`
 * where the comment's entry goes (the CIDR, then `,until=EPOCH` for a timed ban).
 */
export function banRuleTemplate(cidr: string, entry: string): string[] {
  return banRuleWith(cidr, entry).args;
}

export function banSetRuleArgs(family: Family): string[] {
  return banRules([], family, 'ipset')[0]!.args;
}
