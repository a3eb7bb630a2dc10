/**
 * fast-check generators of raw rules (what a profile's `raw:` can hold, argument by argument)
 * for every target and match whose print-back the normalizer knows: each in a table and chain
 * where the kernel takes it, written in the many ways iptables accepts (names or numbers, hex or
 * decimal, defaults spelled out or left off, options in any order).
 */
import fc from 'fast-check';
import type { RawRule } from '../../src/model/profile.js';
import { type Fam, type Kind, pick } from './raw-arbitraries-common.js';
import { MATCHES } from './raw-arbitraries-matches.js';
import { TARGETS } from './raw-arbitraries-targets.js';

export { TEST_SETS } from './raw-arbitraries-common.js';

export const KINDS: Kind[] = [...TARGETS, ...MATCHES];

/** One raw rule of one kind, for IPv4 or IPv6. */
export function rawRule(kind: Kind): fc.Arbitrary<RawRule> {
  return fc
    .tuple(pick<Fam>(4, 6), pick(...kind.chains))
    .chain(([f, chain]) =>
      kind.args(f).map((args): RawRule => ({ table: kind.table, chain, args, family: f })),
    );
}

export const rawRules = fc.array(fc.oneof(...KINDS.map(rawRule)), { minLength: 20, maxLength: 40 });
