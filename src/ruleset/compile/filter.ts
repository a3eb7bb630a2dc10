/**
 * The filter table fleet writes for one family:
 *   INPUT:   -i lo ACCEPT, ESTABLISHED,RELATED ACCEPT, INVALID DROP, -j FLEET-INPUT
 *   FORWARD: the raw rules for FORWARD
 *   OUTPUT:  when its policy is DROP: -o lo ACCEPT, ESTABLISHED,RELATED ACCEPT (then raw rules)
 *   FLEET-INPUT: -j FLEET-SSH, ICMP, services, raw INPUT rules, then -j FLEET-LOG (or DROP)
 *   FLEET-SSH, FLEET-LOG: see ssh.ts, log.ts (bans live in the raw table: bans.ts)
 */

import type { Profile, Source } from '../../model/profile.js';
import type { Chain, Family, Rule, Table } from '../model.js';
import { sortChains } from '../model.js';
import { icmpRules } from './icmp.js';
import { logRules } from './log.js';
import { CHAINS } from './names.js';
import { rule } from './rule.js';
import { serviceRules } from './services.js';
import { sshJump, sshRules } from './ssh.js';

export interface FamilyInput {
  profile: Profile;
  management: readonly Source[];
  family: Family;
  /** Raw rules for filter chains, by chain (INPUT already mapped to FLEET-INPUT). */
  raw: ReadonlyMap<string, Rule[]>;
}

const CT_OK = ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED'];

export function filterTable(fi: FamilyInput): Table {
  const p = fi.profile;
  const chains: Chain[] = [
    { name: 'INPUT', policy: p.policies.input, rules: inputRules(p) },
    {
      name: 'FORWARD',
      policy: p.policies.forward,
      rules: [...(fi.raw.get('FORWARD') ?? [])],
    },
    {
      name: 'OUTPUT',
      policy: p.policies.output,
      rules: [...outputRules(p), ...(fi.raw.get('OUTPUT') ?? [])],
    },
    { name: CHAINS.input, policy: null, rules: fleetInput(fi) },
  ];
  const ssh = sshRules(p, fi.management, fi.family);
  if (ssh.length > 0) chains.push({ name: CHAINS.ssh, policy: null, rules: ssh });
  if (logsDrops(p)) chains.push({ name: CHAINS.log, policy: null, rules: logRules(p) });
  for (const [name, rules] of fi.raw)
    if (!chains.some((c) => c.name === name)) chains.push({ name, policy: null, rules });
  return { name: 'filter', chains: sortChains('filter', chains) };
}

function inputRules(p: Profile): Rule[] {
  const at = (entry: string) => ({ profile: p.name, entry });
  return [
    rule('INPUT', ['-i', 'lo'], at('loopback'), ['-j', 'ACCEPT']),
    rule('INPUT', CT_OK, at('established'), ['-j', 'ACCEPT']),
    rule('INPUT', ['-m', 'conntrack', '--ctstate', 'INVALID'], at('invalid'), ['-j', 'DROP']),
    rule('INPUT', [], at('input'), ['-j', CHAINS.input]),
  ];
}

function outputRules(p: Profile): Rule[] {
  if (p.policies.output !== 'DROP') return [];
  const at = (entry: string) => ({ profile: p.name, entry });
  return [
    rule('OUTPUT', ['-o', 'lo'], at('output.loopback'), ['-j', 'ACCEPT']),
    rule('OUTPUT', CT_OK, at('output.established'), ['-j', 'ACCEPT']),
  ];
}

function logsDrops(p: Profile): boolean {
  return p.log !== undefined && p.policies.input === 'DROP';
}

function fleetInput(fi: FamilyInput): Rule[] {
  const p = fi.profile;
  const ssh = sshRules(p, fi.management, fi.family).length > 0 ? [sshJump(p)] : [];
  const tail = p.policies.input !== 'DROP' ? [] : [finalDrop(p)];
  return [
    ...ssh,
    ...icmpRules(p, fi.family),
    ...serviceRules(p, fi.family),
    ...(fi.raw.get(CHAINS.input) ?? []),
    ...tail,
  ];
}

function finalDrop(p: Profile): Rule {
  if (logsDrops(p)) return rule(CHAINS.input, [], { profile: p.name, entry: 'log' }, ['-j', CHAINS.log]);
  return rule(CHAINS.input, [], { profile: p.name, entry: 'drop' }, ['-j', 'DROP']);
}
