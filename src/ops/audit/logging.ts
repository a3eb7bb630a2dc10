/**
 * Dropped packets are logged, with a rate limit (`log-drops`, warning): the way of a new
 * connection to a closed port must meet a LOG (or NFLOG) rule, and that rule must carry a
 * limit or hashlimit match, else a flood fills the kernel log. Another tool's LOG rules (in its
 * chain, or recognisably its own: CrowdSec's `crowdsec drop:` for the addresses it banned) are
 * its own business: neither the profile nor an apply changes them, so they do not count. Pure.
 */

import type { Finding } from '../../model/finding.js';
import { chainOwner, type Ruleset, ruleOwner } from '../../ruleset/index.js';
import { advice } from './advice.js';
import { FAMILY_NAME, families } from './policy.js';
import {
  ANYWHERE,
  CLOSED_PORTS,
  newTcp,
  type PathRule,
  pathRules,
  surelyAccepted,
  targetName,
} from './probe.js';
import { type AuditInput, finding } from './types.js';

const LOG_TARGETS = new Set(['LOG', 'NFLOG', 'ULOG']);

/** `none`, `unlimited` or `limited`: how a dropped new connection is logged. */
export function dropLogging(rs: Ruleset): 'none' | 'unlimited' | 'limited' {
  const logs = pathRules(rs, dropProbe(rs)).filter(
    (r) => LOG_TARGETS.has(targetName(r) ?? '') && !othersRule(r),
  );
  if (logs.length === 0) return 'none';
  return logs.every(isLimited) ? 'limited' : 'unlimited';
}

/** A rule another tool wrote: in its chain, or recognisably its (comment, ipset, mark...). */
function othersRule(r: PathRule): boolean {
  return chainOwner(r.chain) !== undefined || ruleOwner({ chain: r.chain, args: r.args }) !== undefined;
}

function dropProbe(rs: Ruleset) {
  return newTcp(rs.family, ANYWHERE[rs.family], CLOSED_PORTS[2]);
}

function isLimited(r: PathRule): boolean {
  return r.parts.matches.some((b) => b.name === 'limit' || b.name === 'hashlimit');
}

export function logChecks(input: AuditInput): Finding[] {
  return families(input).flatMap((rs) => {
    if (surelyAccepted(rs, dropProbe(rs))) return []; // nothing dropped: accept-all says so
    const how = dropLogging(rs);
    if (how === 'limited') return [];
    const text =
      how === 'none'
        ? 'dropped packets are not logged'
        : 'dropped packets are logged without a rate limit: a flood fills the kernel log';
    const fix = advice(input, rs.family, (r) => dropLogging(r) !== 'limited', 'set log: (prefix, limit)');
    return [finding('log-drops', 'warning', `${FAMILY_NAME[rs.family]}: ${text}; ${fix}`)];
  });
}
