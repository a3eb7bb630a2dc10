/**
 * The escape hatch: raw rules (validated by the profile loader) go where they say, with fleet's
 * comment added before their target. Raw rules for filter INPUT go into FLEET-INPUT, before its
 * final drop, so they are reached; rules for other chains are appended to those chains.
 */
import type { Profile, RawRule } from '../../model/profile.js';
import type { Family, Rule } from '../model.js';
import { CHAINS, originComment } from './names.js';

export interface PlacedRaw {
  table: string;
  rule: Rule;
}

export function rawRules(profile: Profile, family: Family): PlacedRaw[] {
  return profile.raw.flatMap((r, i) => (appliesTo(r, family) ? [place(profile.name, r, i)] : []));
}

function appliesTo(r: RawRule, family: Family): boolean {
  return r.family === 'both' || r.family === family;
}

function place(profile: string, r: RawRule, i: number): PlacedRaw {
  const chain = r.table === 'filter' && r.chain === 'INPUT' ? CHAINS.input : r.chain;
  const comment = originComment(profile, `raw.${i + 1}`);
  const at = targetIndex(r.args);
  const args = [...r.args.slice(0, at), '-m', 'comment', '--comment', comment, ...r.args.slice(at)];
  return { table: r.table, rule: { chain, args, comment } };
}

function targetIndex(args: readonly string[]): number {
  const i = args.findIndex((a) => a === '-j' || a === '--jump' || a === '-g' || a === '--goto');
  return i < 0 ? args.length : i;
}
