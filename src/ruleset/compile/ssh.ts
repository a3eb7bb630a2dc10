/**
 * FLEET-SSH, entered for every new TCP connection to the SSH port:
 *   1. management sources the profile allows: ACCEPT before the rate limit (fleet's own fan-out
 *      and its watchdog confirmation must never be throttled);
 *   2. `recent --set` then `recent --update --seconds S --hitcount H+1` → DROP (rate limit:
 *      `hits: H` lets H new connections per S seconds through, the H+1st is dropped — the
 *      --set counts the connection being decided, so --hitcount H alone would let only H-1 in);
 *   3. the profile's SSH sources: ACCEPT (or everyone, when it lists none).
 * Whatever falls through returns to FLEET-INPUT and meets its final drop.
 */
import type { Profile, Source } from '../../model/profile.js';
import type { Family, Rule } from '../model.js';
import { cidrContains } from '../normalize/addresses.js';
import { CHAINS, RECENT_NAME } from './names.js';
import { entryFor, type Origin, rule, source, sourcesOf } from './rule.js';

const ALL_ONES: Record<Family, string> = {
  4: '255.255.255.255',
  6: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
};

export function sshJump(profile: Profile): Rule {
  const o: Origin = { profile: profile.name, entry: 'ssh' };
  return rule(CHAINS.input, ['-p', 'tcp', '-m', 'tcp', '--dport', String(profile.ssh.port)], o, [
    '-j',
    CHAINS.ssh,
  ]);
}

export function sshRules(profile: Profile, management: readonly Source[], family: Family): Rule[] {
  const allowed = sourcesOf(profile.ssh.sources, family);
  if (profile.ssh.sources.length > 0 && allowed.length === 0) return [];
  const at = (entry: string): Origin => ({ profile: profile.name, entry });
  const exempt = profile.ssh.rateLimit ? exemptManagement(management, allowed, profile, family) : [];
  const accept =
    allowed.length === 0
      ? [rule(CHAINS.ssh, [], at('ssh'), ['-j', 'ACCEPT'])]
      : allowed.map((s) => rule(CHAINS.ssh, source(s), at(entryFor('ssh', s)), ['-j', 'ACCEPT']));
  return [...exempt, ...rateLimit(profile, family), ...accept];
}

/** Management sources inside what the profile allows (never wider than the profile). */
function exemptManagement(
  management: readonly Source[],
  allowed: Source[],
  p: Profile,
  family: Family,
): Rule[] {
  const inside = sourcesOf(management, family).filter(
    (m) => p.ssh.sources.length === 0 || allowed.some((a) => cidrContains(a.cidr, m.cidr)),
  );
  return inside.map((m) =>
    rule(CHAINS.ssh, source(m), { profile: p.name, entry: 'ssh.management' }, ['-j', 'ACCEPT']),
  );
}

function rateLimit(p: Profile, family: Family): Rule[] {
  const rl = p.ssh.rateLimit;
  if (!rl) return [];
  const tail = ['--name', RECENT_NAME, '--mask', ALL_ONES[family], '--rsource'];
  const o: Origin = { profile: p.name, entry: 'ssh.rate-limit' };
  const update = ['--update', '--seconds', String(rl.seconds), '--hitcount', String(rl.hits + 1)];
  return [
    rule(CHAINS.ssh, ['-m', 'recent', '--set', ...tail], o),
    rule(CHAINS.ssh, ['-m', 'recent', ...update, ...tail], o, ['-j', 'DROP']),
  ];
}
