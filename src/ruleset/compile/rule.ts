/** Small builders for rules in the form iptables-save prints them back (so round trips are byte-equal). */
import type { PortSpec, Source } from '../../model/profile.js';
import type { Rule } from '../model.js';
import { normalizeAddress } from '../normalize/addresses.js';
import { originComment } from './names.js';

export interface Origin {
  profile: string;
  entry: string;
}

/** Matches first, then fleet's comment, then the target: `-m comment` sits just before `-j`. */
export function rule(chain: string, matches: string[], origin: Origin, target: string[] = []): Rule {
  const comment = originComment(origin.profile, origin.entry);
  return { chain, args: [...matches, '-m', 'comment', '--comment', comment, ...target], comment };
}

export function source(s: Source): string[] {
  return ['-s', normalizeAddress(s.cidr, s.family)];
}

export function portText(p: PortSpec): string {
  return p.from === p.to ? String(p.from) : `${p.from}:${p.to}`;
}

/** `-p tcp -m tcp --dport 22` (the kernel adds `-m tcp` itself; writing it keeps the round trip exact). */
export function dport(proto: 'tcp' | 'udp', p: PortSpec): string[] {
  return ['-p', proto, '-m', proto, '--dport', portText(p)];
}

/** Entry name for a source that came from a named set: `ssh@office`. */
export function entryFor(entry: string, s: Source | undefined): string {
  return s?.set ? `${entry}@${s.set}` : entry;
}

/** Sources of one family, canonical, without duplicates, in byte order (their order carries no meaning). */
export function sourcesOf(sources: readonly Source[], family: 4 | 6): Source[] {
  const seen = new Map<string, Source>();
  for (const s of sources) {
    if (s.family !== family) continue;
    const cidr = normalizeAddress(s.cidr, family);
    if (!seen.has(cidr)) seen.set(cidr, { ...s, cidr });
  }
  return [...seen.values()].sort((a, b) => (a.cidr < b.cidr ? -1 : a.cidr > b.cidr ? 1 : 0));
}
