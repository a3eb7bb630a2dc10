/**
 * Named address sets, fleet-wide, from profiles/sets.yaml (`sets: {name: [cidr | set, ...]}`).
 * A set may include other sets; `management` is built in: the inventory's management_sources.
 */
import { type Cursor, entries, items, namePos, rootCursor } from '../inventory/input/cursor.js';
import type { Problems } from '../inventory/input/problems.js';
import { checkName, readString } from '../inventory/input/read.js';
import type { YamlFile } from '../inventory/input/source.js';
import type { Source } from '../model/profile.js';
import { parseEntry } from './sources.js';

export const MANAGEMENT = 'management';

/** Set name -> its entries as written (resolved lazily, so sets may name other sets). */
export type SetTable = Map<string, Cursor[]>;

export function readSets(src: YamlFile | undefined, p: Problems): SetTable {
  const table: SetTable = new Map();
  if (!src) return table;
  const top = entries(rootCursor(src), p, ['sets']);
  const sets = top.get('sets');
  if (!sets) return table;
  for (const [name, c] of entries(sets, p)) {
    if (checkName(name, namePos(c), p, 'set') === undefined) continue;
    if (name === MANAGEMENT) {
      p.add(
        c.pos,
        c.path,
        `"${MANAGEMENT}" is built in (the inventory's settings.management_sources); choose another set name`,
      );
      continue;
    }
    table.set(name, items(c, p));
  }
  return table;
}

export interface SetContext {
  sets: SetTable;
  /** The inventory's management sources; undefined when no inventory was loaded. */
  management?: Source[];
  /** What to edit to add them, naming the inventory file. */
  managementHint?: string;
  /** Checking sets on their own: an empty `management` is the using profile's problem, not theirs. */
  lenientManagement?: boolean;
}

/** Every set expanded once, so a set no profile uses yet is checked too (CIDRs, names, cycles). */
export function checkAllSets(ctx: SetContext, p: Problems): void {
  const alone = { ...ctx, lenientManagement: true };
  for (const [name, cursors] of ctx.sets) if (cursors[0]) expandSet(name, alone, cursors[0], p);
}

/** Expands set `name` into CIDRs; `stack` detects sets that include themselves. */
export function expandSet(
  name: string,
  ctx: SetContext,
  at: Cursor,
  p: Problems,
  stack: string[] = [],
): Source[] {
  if (name === MANAGEMENT) return managementSources(ctx, at, p);
  if (stack.includes(name)) {
    p.add(at.pos, at.path, `address sets include each other in a cycle: ${[...stack, name].join(' -> ')}`);
    return [];
  }
  const entriesOf = ctx.sets.get(name) ?? [];
  return entriesOf.flatMap((c) => {
    const text = readString(c, p, 'an address, CIDR or set name');
    return text === undefined ? [] : parseEntry(text, c, ctx, p, [...stack, name]);
  });
}

function managementSources(ctx: SetContext, at: Cursor, p: Problems): Source[] {
  if (ctx.management?.length || ctx.lenientManagement)
    return (ctx.management ?? []).map((s): Source => ({ ...s, management: true }));
  const why = ctx.management ? 'the inventory has no settings.management_sources' : 'no inventory was loaded';
  p.add(
    at.pos,
    at.path,
    `"${MANAGEMENT}" is empty (${why}); ${ctx.managementHint ?? 'add management_sources under settings: in an inventory file'}`,
  );
  return [];
}
