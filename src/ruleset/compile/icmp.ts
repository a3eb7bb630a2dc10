/**
 * ICMP. IPv4: ping (echo-request) when enabled, rate-limited. IPv6: whatever the ping setting,
 * the types without which IPv6 does not work (RFC 4890): errors (1-4, packet-too-big above all),
 * neighbour discovery (133-136, only with hop limit 255, i.e. from the link itself) and MLD
 * (130-132, 143, from link-local sources), then ping like IPv4.
 */
import type { Profile } from '../../model/profile.js';
import type { Family, Rule } from '../model.js';
import { printRate, ratePeriod } from '../normalize/rate.js';
import { CHAINS } from './names.js';
import { type Origin, rule } from './rule.js';

const V6_ERRORS = ['1', '2', '3', '4'];
const V6_NDP = ['133', '134', '135', '136'];
const V6_MLD = ['130', '131', '132', '143'];

export function icmpRules(profile: Profile, family: Family): Rule[] {
  const base = family === 4 ? [] : ndpRules(profile.name);
  return [...base, ...pingRule(profile, family)];
}

function icmp6(type: string): string[] {
  return ['-p', 'ipv6-icmp', '-m', 'icmp6', '--icmpv6-type', type];
}

function ndpRules(profile: string): Rule[] {
  const at = (entry: string): Origin => ({ profile, entry });
  const accept = ['-j', 'ACCEPT'];
  return [
    ...V6_ERRORS.map((t) => rule(CHAINS.input, icmp6(t), at('icmpv6.errors'), accept)),
    ...V6_NDP.map((t) =>
      rule(CHAINS.input, [...icmp6(t), '-m', 'hl', '--hl-eq', '255'], at('icmpv6.ndp'), accept),
    ),
    ...V6_MLD.map((t) => rule(CHAINS.input, ['-s', 'fe80::/10', ...icmp6(t)], at('icmpv6.mld'), accept)),
  ];
}

function pingRule(profile: Profile, family: Family): Rule[] {
  if (!profile.icmp.ping) return [];
  const match = family === 4 ? ['-p', 'icmp', '-m', 'icmp', '--icmp-type', '8'] : icmp6('128');
  const limit = profile.icmp.rate ? ['-m', 'limit', '--limit', kernelRate(profile.icmp.rate)] : [];
  return [
    rule(CHAINS.input, [...match, ...limit], { profile: profile.name, entry: 'icmp.ping' }, ['-j', 'ACCEPT']),
  ];
}

/** A rate as the kernel prints it back (`60/minute` → `1/sec`). */
export function kernelRate(rate: string): string {
  const period = ratePeriod(rate);
  return period === undefined ? rate : printRate(period);
}
