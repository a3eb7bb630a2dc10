/** Read a list of CIDRs (IPv4 and IPv6 side by side) from a cursor. */
import type { Source } from '../../model/profile.js';
import { parseSource } from './address.js';
import { type Cursor, items } from './cursor.js';
import type { Problems } from './problems.js';
import { readString } from './read.js';

export function readCidr(c: Cursor, p: Problems): Source | undefined {
  const text = readString(c, p, 'an address or CIDR');
  if (text === undefined) return undefined;
  const r = parseSource(text);
  if (r.ok) return r.source;
  p.add(c.pos, c.path, r.message);
  return undefined;
}

export function readCidrList(c: Cursor, p: Problems): Source[] {
  return items(c, p).flatMap((item) => readCidr(item, p) ?? []);
}
