/** A `sources:` list: CIDRs (IPv4 and IPv6 side by side), set names, or `management`. */
import { parseSource } from '../inventory/input/address.js';
import { type Cursor, items } from '../inventory/input/cursor.js';
import type { Problems } from '../inventory/input/problems.js';
import { readString } from '../inventory/input/read.js';
import { didYouMean } from '../inventory/input/suggest.js';
import type { Source } from '../model/profile.js';
import { expandSet, MANAGEMENT, type SetContext } from './sets.js';

export function readSources(c: Cursor, ctx: SetContext, p: Problems): Source[] {
  const out = items(c, p).flatMap((item) => {
    const text = readString(item, p, 'an address, CIDR or set name');
    return text === undefined ? [] : parseEntry(text, item, ctx, p, []);
  });
  return dedupe(out);
}

/** Looks like an address (digits and dots, or a colon, or a slash) -> CIDR; else a set name. */
export function parseEntry(text: string, c: Cursor, ctx: SetContext, p: Problems, stack: string[]): Source[] {
  if (/^[\d.]+$|[:/]/.test(text)) {
    const r = parseSource(text);
    if (!r.ok) p.add(c.pos, c.path, r.message);
    return r.ok ? [r.source] : [];
  }
  if (text !== MANAGEMENT && !ctx.sets.has(text)) {
    const names = [MANAGEMENT, ...ctx.sets.keys()];
    p.add(
      c.pos,
      c.path,
      `unknown address set "${text}"${didYouMean(text, names)}; define it under sets: in profiles/sets.yaml or write a CIDR`,
    );
    return [];
  }
  const label = stack[0] ?? text;
  return expandSet(text, ctx, c, p, stack).map((s) => ({ ...s, set: label }));
}

function dedupe(sources: Source[]): Source[] {
  const seen = new Set<string>();
  return sources.filter((s) => !seen.has(s.cidr) && seen.add(s.cidr));
}
