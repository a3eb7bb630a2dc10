/**
 * A cursor is a YAML node with its dotted path and position: the unit the small
 * validation rules in read.ts work on, so every problem lands on the right line.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, type Node } from 'yaml';
import type { SourcePos } from '../../errors.js';
import type { Problems } from './problems.js';
import { offsetPos, type YamlFile } from './source.js';
import { didYouMean } from './suggest.js';

export interface Cursor {
  src: YamlFile;
  /** The YAML node, or null for an empty value (`key:`). */
  node: Node | null;
  path: string;
  pos: SourcePos;
  /** For a mapping value: where its key is written (names are reported there). */
  keyPos?: SourcePos;
}

export function rootCursor(src: YamlFile): Cursor {
  const node = (src.doc.contents as Node | null) ?? null;
  return { src, node, path: '', pos: offsetPos(src, node?.range?.[0] ?? 0) };
}

function childCursor(parent: Cursor, node: unknown, path: string): Cursor {
  const resolved = isAlias(node) ? node.resolve(parent.src.doc) : node;
  const n = isNode(resolved) ? resolved : null;
  const start = n?.range?.[0];
  return {
    src: parent.src,
    node: n,
    path,
    pos: start === undefined ? parent.pos : offsetPos(parent.src, start),
  };
}

export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function isEmpty(c: Cursor): boolean {
  return c.node === null || (isScalar(c.node) && c.node.value === null);
}

/**
 * The entries of a mapping, keyed by their text. Unknown keys (when `allowed` is given) are
 * reported at the key with a "did you mean". An empty value counts as an empty mapping.
 */
export function entries(c: Cursor, p: Problems, allowed?: readonly string[]): Map<string, Cursor> {
  const out = new Map<string, Cursor>();
  if (isEmpty(c)) return out;
  if (!isMap(c.node)) {
    p.add(c.pos, c.path, 'expected a mapping (key: value lines)');
    return out;
  }
  for (const pair of c.node.items) {
    const keyCursor = childCursor(c, pair.key, c.path);
    const key = isScalar(keyCursor.node) ? String(keyCursor.node.value) : '';
    if (allowed && !allowed.includes(key)) {
      const where = c.path ? ` in ${c.path}` : '';
      p.add(
        keyCursor.pos,
        joinPath(c.path, key),
        `unknown key "${key}"${where}${didYouMean(key, allowed)}; allowed: ${allowed.join(', ')}`,
      );
      continue;
    }
    const value = childCursor(c, pair.value, joinPath(c.path, key));
    out.set(key, { ...value, pos: pair.value == null ? keyCursor.pos : value.pos, keyPos: keyCursor.pos });
  }
  return out;
}

/** The items of a sequence; an empty value is an empty list. */
export function items(c: Cursor, p: Problems): Cursor[] {
  if (isEmpty(c)) return [];
  if (!isSeq(c.node)) {
    p.add(c.pos, c.path, 'expected a list ([a, b] or "- a" lines)');
    return [];
  }
  return c.node.items.map((n, i) => childCursor(c, n, joinPath(c.path, i)));
}

/** A list, or a single scalar taken as a list of one. */
export function itemsOrOne(c: Cursor, p: Problems): Cursor[] {
  return isScalar(c.node) && c.node.value !== null ? [c] : items(c, p);
}

/** The plain JavaScript value of a node (for free-form `vars`). */
export function plain(c: Cursor): unknown {
  return c.node ? c.node.toJS(c.src.doc) : null;
}

/** Where a mapping value's key is written, else the value itself: names are reported there. */
export function namePos(c: Cursor): { pos: SourcePos; path: string } {
  return { pos: c.keyPos ?? c.pos, path: c.path };
}
