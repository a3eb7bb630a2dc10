/**
 * Writing inventory/bans.yaml back through the YAML Document that was read, so comments and
 * the order of what stays are kept: items no longer listed are deleted, changed ones edited
 * in place, new ones appended.
 */
import { type Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { displayCidr, parseBanTarget } from './address.js';
import type { BanEntry } from './types.js';

export const NEW_FILE_HEADER = [
  " The fleet's ban list: every host drops packets from these addresses (fleet ban / unban /",
  ' bans sync|expire keep it; hand edits are fine). address is an IPv4/IPv6 address or CIDR;',
  ' expires (ISO 8601) is optional, absent means permanent. See docs/bans.md.',
].join('\n');

export function emptyBanDocument(): Document {
  const doc = parseDocument('bans: []\n');
  doc.commentBefore = NEW_FILE_HEADER;
  return doc;
}

/** The file's new text: `doc` edited so that its bans are exactly `entries` (in their order). */
export function renderBanFile(doc: Document, entries: readonly BanEntry[]): string {
  const seq = banSeq(doc);
  const wanted = new Map(entries.map((e) => [e.cidr, e]));
  const kept = new Set<string>();
  for (let i = seq.items.length - 1; i >= 0; i--) {
    const cidr = itemCidr(seq.items[i]);
    const e = cidr === undefined ? undefined : wanted.get(cidr);
    if (e === undefined || kept.has(e.cidr)) seq.items.splice(i, 1);
    else updateItem(seq.items[i] as YAMLMap, e);
    if (e) kept.add(e.cidr);
  }
  for (const e of entries) if (!kept.has(e.cidr)) seq.items.push(doc.createNode(entryObject(e)));
  if (seq.items.length > 0) seq.flow = false;
  return doc.toString({ lineWidth: 0 });
}

function banSeq(doc: Document): YAMLSeq {
  if (!isMap(doc.contents)) doc.contents = doc.createNode({ bans: [] });
  const seq = doc.get('bans', true);
  if (isSeq(seq)) return seq;
  doc.set('bans', doc.createNode([]));
  return doc.get('bans', true) as YAMLSeq;
}

function itemCidr(item: unknown): string | undefined {
  if (!isMap(item)) return undefined;
  const v = item.get('address', true);
  if (!isScalar(v)) return undefined;
  const r = parseBanTarget(String(v.value));
  return r.ok ? r.target.cidr : undefined;
}

/** Set the fields that differ; leave the rest (and their comments) alone. */
function updateItem(item: YAMLMap, e: BanEntry): void {
  const want = entryObject(e);
  for (const [key, value] of Object.entries(want)) {
    if (key !== 'address' && item.get(key) !== value) item.set(key, value);
  }
  for (const key of ['reason', 'expires', 'force']) if (!(key in want) && item.has(key)) item.delete(key);
}

export function entryObject(e: BanEntry): Record<string, string | boolean> {
  const o: Record<string, string | boolean> = { address: displayCidr(e.cidr) };
  if (e.reason !== undefined) o.reason = e.reason;
  if (e.who) o.who = e.who;
  if (e.when) o.when = e.when;
  if (e.expires !== undefined) o.expires = e.expires;
  if (e.force) o.force = true;
  return o;
}
