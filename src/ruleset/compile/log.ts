/** FLEET-LOG: log what is about to be dropped (rate-limited), then drop it. */
import type { Profile } from '../../model/profile.js';
import type { Rule } from '../model.js';
import { kernelRate } from './icmp.js';
import { CHAINS } from './names.js';
import { rule } from './rule.js';

export function logRules(profile: Profile): Rule[] {
  const log = profile.log;
  if (!log) return [];
  const burst = log.burst !== undefined && log.burst !== 5 ? ['--limit-burst', String(log.burst)] : [];
  const limit = ['-m', 'limit', '--limit', kernelRate(log.limit), ...burst];
  const o = { profile: profile.name, entry: 'log' };
  return [
    rule(CHAINS.log, limit, o, ['-j', 'LOG', '--log-prefix', log.prefix]),
    rule(CHAINS.log, [], { profile: profile.name, entry: 'drop' }, ['-j', 'DROP']),
  ];
}
