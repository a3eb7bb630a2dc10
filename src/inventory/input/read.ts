/** Small named rules that read one scalar from a cursor, recording a problem when it is wrong. */
import { isScalar } from 'yaml';
import { NAME_PATTERN } from '../../model/host.js';
import { type Cursor, isEmpty } from './cursor.js';
import type { Problems } from './problems.js';

function scalar(c: Cursor): unknown {
  return isScalar(c.node) ? c.node.value : undefined;
}

export function readString(c: Cursor, p: Problems, what = 'text'): string | undefined {
  const v = scalar(c);
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  p.add(c.pos, c.path, `expected ${what}, got ${describe(c)}`);
  return undefined;
}

export function readInt(c: Cursor, p: Problems, min: number, max: number, what: string): number | undefined {
  const v = scalar(c);
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  p.add(c.pos, c.path, `${what} must be a whole number from ${min} to ${max}, got ${describe(c)}`);
  return undefined;
}

export function readBool(c: Cursor, p: Problems): boolean | undefined {
  const v = scalar(c);
  if (typeof v === 'boolean') return v;
  p.add(c.pos, c.path, `expected true or false, got ${describe(c)}`);
  return undefined;
}

/** A name of a host, group, profile, set or service: nothing a shell would read specially. */
export function readName(c: Cursor, p: Problems, what: string): string | undefined {
  const v = readString(c, p, `a ${what} name`);
  if (v === undefined) return undefined;
  return checkName(v, c, p, what);
}

export function checkName(
  v: string,
  c: Pick<Cursor, 'pos' | 'path'>,
  p: Problems,
  what: string,
): string | undefined {
  if (NAME_PATTERN.test(v)) return v;
  p.add(
    c.pos,
    c.path,
    `${what} name "${v}" is not allowed: use letters, digits, ".", "_" and "-" only (start with a letter or digit, at most 63 characters)`,
  );
  return undefined;
}

export function describe(c: Cursor): string {
  if (isEmpty(c)) return 'nothing';
  const v = scalar(c);
  if (v === undefined) return c.node?.constructor?.name === 'YAMLSeq' ? 'a list' : 'a mapping';
  return JSON.stringify(v);
}
