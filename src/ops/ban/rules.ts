/**
 * What a ban looks like in the kernel: the one definition shared by the fast path (ops/ban)
 * and the compiler, so that `fleet apply` after `fleet ban` shows no difference.
 *
 * filter table, both families:
 *   -A INPUT   -m comment --comment fleet:bans:jump -j FLEET-BANS      (first rule)
 *   -A FORWARD -m comment --comment fleet:bans:jump -j FLEET-BANS      (first rule)
 * mode `ipset` (the host has ipset): one rule, the addresses live in the set
 *   -A FLEET-BANS -m set --match-set fleet-bans4 src -m comment --comment fleet:bans:fleet-bans4 -j DROP
 * mode `rules`: one rule per ban, sorted by CIDR text (byte order)
 *   -A FLEET-BANS -s 203.0.113.7/32 -m comment --comment fleet:bans:203.0.113.7/32 -j DROP
 */
import type { Ban } from '../../model/ban.js';
import { BAN_SETS, CHAINS, originComment } from '../../ruleset/compile/names.js';

export type BanMode = 'rules' | 'ipset';
export type Family = 4 | 6;

export const BAN_CHAIN = CHAINS.bans;
/** Chains that jump to FLEET-BANS before anything else. */
export const BAN_HOOKS = ['INPUT', 'FORWARD'] as const;
/** ipset create options (after the name); the same for the live set and the one swapped in. */
export const SET_OPTIONS: Readonly<Record<Family, string>> = {
  4: 'hash:net family inet maxelem 1048576',
  6: 'hash:net family inet6 maxelem 1048576',
};

export function banSetName(family: Family): string {
  return BAN_SETS[family];
}

/** Arguments after `-A INPUT` / `-A FORWARD`. */
export function banJumpArgs(): string[] {
  return ['-m', 'comment', '--comment', originComment('bans', 'jump'), '-j', BAN_CHAIN];
}

export function banRuleArgs(cidr: string): string[] {
  return ['-s', cidr, '-m', 'comment', '--comment', originComment('bans', cidr), '-j', 'DROP'];
}

export function banSetRuleArgs(family: Family): string[] {
  const set = banSetName(family);
  return [
    '-m',
    'set',
    '--match-set',
    set,
    'src',
    '-m',
    'comment',
    '--comment',
    originComment('bans', set),
    '-j',
    'DROP',
  ];
}

/** The rules of FLEET-BANS for one family (arguments after `-A FLEET-BANS`). */
export function banChainRules(bans: readonly Ban[], family: Family, mode: BanMode): string[][] {
  if (mode === 'ipset') return [banSetRuleArgs(family)];
  const cidrs = [...new Set(bans.filter((b) => b.family === family).map((b) => b.cidr))];
  return cidrs.sort(byteOrder).map(banRuleArgs);
}

/** The filter-table lines for bans, as iptables-restore reads them (none contains a space). */
export function banRestoreLines(bans: readonly Ban[], family: Family, mode: BanMode): string[] {
  return [
    `:${BAN_CHAIN} - [0:0]`,
    ...BAN_HOOKS.map((hook) => `-A ${hook} ${banJumpArgs().join(' ')}`),
    ...banChainRules(bans, family, mode).map((args) => `-A ${BAN_CHAIN} ${args.join(' ')}`),
  ];
}

/** `ipset restore` input that fills a set (named `set`) with the bans of one family. */
export function ipsetRestoreText(bans: readonly Ban[], family: Family, set = banSetName(family)): string {
  const adds = bans.filter((b) => b.family === family).map((b) => `add ${set} ${b.cidr}\n`);
  return `create ${set} ${SET_OPTIONS[family]}\n${adds.join('')}`;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
