/** Services: one ACCEPT per (service, source) in FLEET-INPUT, or per service when open to all. */
import type { Profile, ServiceRule } from '../../model/profile.js';
import type { Family, Rule } from '../model.js';
import { CHAINS } from './names.js';
import { dport, entryFor, rule, source, sourcesOf } from './rule.js';

export function serviceRules(profile: Profile, family: Family): Rule[] {
  return [...profile.services].sort(byName).flatMap((s) => oneService(profile.name, s, family));
}

function byName(a: ServiceRule, b: ServiceRule): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0;
}

function oneService(profile: string, s: ServiceRule, family: Family): Rule[] {
  const entry = `service.${s.name}`;
  const match = dport(s.proto, s.ports);
  if (s.sources.length === 0) return [rule(CHAINS.input, match, { profile, entry }, ['-j', 'ACCEPT'])];
  return sourcesOf(s.sources, family).map((src) =>
    rule(CHAINS.input, [...source(src), ...match], { profile, entry: entryFor(entry, src) }, [
      '-j',
      'ACCEPT',
    ]),
  );
}
