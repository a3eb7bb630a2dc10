/**
 * What a ban looks like in the kernel, for the fast path (ops/ban): the rules themselves come
 * from the compiler's one definition (ruleset/compile/bans.ts), so `fleet apply` after
 * `fleet ban` shows no difference. raw table, both families:
 *   -A PREROUTING -m comment --comment fleet:bans:jump -j FLEET-BANS      (first rule)
 * mode `ipset` (the host has ipset): one rule, the addresses live in the set
 *   -A FLEET-BANS -m set --match-set fleet-bans4 src -m comment --comment fleet:bans:fleet-bans4 -j DROP
 * mode `rules`: one rule per ban, sorted by CIDR text (byte order)
 *   -A FLEET-BANS -s 203.0.113.7/32 -m comment --comment fleet:bans:203.0.113.7/32 -j DROP
 */
import { BAN_SETS, type BanMode, banJump, banRules, CHAINS } from '../../ruleset/index.js';

export type { BanMode };
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

/** Arguments after `-A FLEET-BANS` in mode rules, with `placeholder` where the CIDR goes. */
export function banRuleTemplate(placeholder: string): string[] {
  return banRules([{ cidr: placeholder, family: 4 }], 4, 'rules')[0]!.args;
}

export function banSetRuleArgs(family: Family): string[] {
  return banRules([], family, 'ipset')[0]!.args;
}
