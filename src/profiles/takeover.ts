/**
 * `takeover:` — the known owners (src/model/known-owners.ts) whose chains and rules this
 * profile's hosts are fleet's alone: apply deletes them instead of refusing, and a host where
 * such a tool is active (ufw, firewalld) is no longer refused. Each entry must be a known
 * owner's name; anything else is an error at its file:line:column, with a "did you mean".
 */
import { type Cursor, items } from '../inventory/input/cursor.js';
import type { Problems } from '../inventory/input/problems.js';
import { readString } from '../inventory/input/read.js';
import { didYouMean } from '../inventory/input/suggest.js';
import { KNOWN_OWNERS, knownOwner } from '../model/known-owners.js';

export function readTakeover(c: Cursor, p: Problems): string[] {
  const names = KNOWN_OWNERS.map((o) => o.tool);
  return items(c, p).flatMap((item) => {
    const v = readString(item, p, 'the name of a known owner');
    if (v === undefined) return [];
    if (knownOwner(v)) return [v];
    p.add(
      item.pos,
      item.path,
      `"${v}" is not a tool fleet knows${didYouMean(v, names)}; takeover names one of: ${names.join(', ')}`,
    );
    return [];
  });
}
