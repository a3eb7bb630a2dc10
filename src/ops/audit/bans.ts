/**
 * Bans in force (`bans-missing`, critical): every live ban of inventory/bans.yaml is enforced on
 * the host — raw PREROUTING jumps to FLEET-BANS, and the address is in the ban set
 * (fleet-bans4/6, when FLEET-BANS matches it) or has its own DROP rule in FLEET-BANS.
 * First in line (`bans-not-first`, critical): that jump is raw PREROUTING's first rule, so no
 * rule another tool inserted can accept a banned source before fleet drops it.
 * Over but still held (`bans-expired`, warning): a rules-mode ban whose comment names an end
 * (`,until=EPOCH`) the host's clock has passed — its expiry timer is gone (the host rebooted
 * before the end). The audit only reads; any ban command, a sync or an apply lifts it. Pure.
 */
import type { Ban } from '../../model/ban.js';
import type { Finding } from '../../model/finding.js';
import {
  BAN_HOOKS,
  BAN_SETS,
  BAN_TABLE,
  CHAINS,
  type Family,
  findChain,
  findTable,
  isBanJump,
  originComment,
  parseBanEntry,
  type Ruleset,
  targetOf,
} from '../../ruleset/index.js';
import { normalizeAddress } from '../../ruleset/normalize/addresses.js';
import { FAMILY_NAME, families } from './policy.js';
import { type AuditInput, finding } from './types.js';

const SHOWN = 5;

export function banChecks(input: AuditInput): Finding[] {
  return [...notFirst(input), ...missingFinding(input), ...expiredFinding(input)];
}

const BAN_COMMENT = originComment('bans', '');

/** Rules-mode bans whose end (in their comment) has passed on the host's clock: still dropping. */
export function expiredBans(rs: Ruleset, now: number): string[] {
  const rules = findChain(findTable(rs, BAN_TABLE), CHAINS.bans)?.rules ?? [];
  return rules.flatMap((r) => {
    if (!r.comment?.startsWith(BAN_COMMENT)) return [];
    const { cidr, until } = parseBanEntry(r.comment.slice(BAN_COMMENT.length));
    return until !== undefined && until <= now ? [cidr] : [];
  });
}

function expiredFinding(input: AuditInput): Finding[] {
  const over = families(input).flatMap((rs) => expiredBans(rs, input.extras.now));
  if (over.length === 0) return [];
  const shown =
    over.slice(0, SHOWN).join(', ') + (over.length > SHOWN ? ` and ${over.length - SHOWN} more` : '');
  return [
    finding(
      'bans-expired',
      'warning',
      `${over.length} timed ban(s) are over but still dropping here (the host's expiry timer is gone: rebooted before their end?): ${shown}; \`fleet bans sync --on ${input.host.name}\` lifts them`,
    ),
  ];
}

/** Families whose jump to FLEET-BANS exists but is not the first rule of raw PREROUTING. */
function notFirst(input: AuditInput): Finding[] {
  const late = families(input).filter((rs) => hooked(rs) && !isBanJump(hookChain(rs)!.rules[0]!));
  if (late.length === 0) return [];
  const which = late.map(
    (rs) =>
      `${FAMILY_NAME[rs.family]}: ${BAN_TABLE} ${BAN_HOOKS[0]} starts with "${hookChain(rs)!.rules[0]!.args.join(' ')}"`,
  );
  return [
    finding(
      'bans-not-first',
      'critical',
      `fleet's ban jump is not the first rule, so another tool's rule can accept a banned address (${which.join('; ')}); \`fleet bans sync --on ${input.host.name}\` puts it back first`,
    ),
  ];
}

function missingFinding(input: AuditInput): Finding[] {
  const missing = families(input).flatMap((rs) => missingBans(rs, input.bans, setMembers(input, rs.family)));
  if (missing.length === 0) return [];
  const total = input.bans.filter((b) => families(input).some((rs) => rs.family === b.family)).length;
  const shown =
    missing.slice(0, SHOWN).join(', ') +
    (missing.length > SHOWN ? ` and ${missing.length - SHOWN} more` : '');
  return [
    finding(
      'bans-missing',
      'critical',
      `${missing.length} of ${total} active bans are not enforced here: ${shown}; \`fleet bans sync --on ${input.host.name}\``,
    ),
  ];
}

function setMembers(input: AuditInput, family: Family): string[] | null {
  return family === 4 ? input.extras.banSets.v4 : input.extras.banSets.v6;
}

/** The bans of the ruleset's family that the host does not enforce (normalized CIDRs). */
export function missingBans(rs: Ruleset, bans: readonly Ban[], members: readonly string[] | null): string[] {
  const wanted = [
    ...new Set(bans.filter((b) => b.family === rs.family).map((b) => normalizeAddress(b.cidr, rs.family))),
  ];
  if (wanted.length === 0) return [];
  if (!hooked(rs)) return wanted;
  const enforced = enforcedCidrs(rs, members);
  return wanted.filter((c) => !enforced.has(c)).sort();
}

function hookChain(rs: Ruleset) {
  return findChain(findTable(rs, BAN_TABLE), BAN_HOOKS[0]);
}

function hooked(rs: Ruleset): boolean {
  return hookChain(rs)?.rules.some((r) => targetOf(r.args) === CHAINS.bans) ?? false;
}

function enforcedCidrs(rs: Ruleset, members: readonly string[] | null): Set<string> {
  const chain = findChain(findTable(rs, BAN_TABLE), CHAINS.bans);
  const rules = chain?.rules ?? [];
  const usesSet = rules.some((r) => r.args.includes(BAN_SETS[rs.family]));
  const fromRules = rules.filter((r) => targetOf(r.args) === 'DROP').flatMap((r) => sourceOf(r.args));
  const fromSet = usesSet ? (members ?? []) : [];
  return new Set([...fromRules, ...fromSet].map((c) => normalizeAddress(c, rs.family)));
}

function sourceOf(args: readonly string[]): string[] {
  const i = args.findIndex((a) => a === '-s' || a === '--source');
  return i >= 0 && args[i - 1] !== '!' && args[i + 1] ? [args[i + 1]!] : [];
}
