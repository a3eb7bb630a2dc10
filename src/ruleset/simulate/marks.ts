/**
 * Packet and connection marks along one simulated traversal, bit by bit. A new connection
 * starts with both marks 0, every bit known; MARK and CONNMARK targets change them when their
 * rule surely matches, and when it only may, the bits it would change become unknown — the others
 * stay known. `-m mark` / `-m connmark` then answer yes or no when the bits they test are known
 * (or a known one already differs), maybe otherwise — so kube-proxy's `--mark 0x8000/0x8000
 * -j DROP` does not drop a packet nothing marked with 0x8000 (a Cilium node's socket-matched
 * `MARK --set-xmark 0x200/0xffffffff` in mangle leaves that bit 0), and does when a rule surely did.
 */
import { type Block, isNegated, optName, optValues } from '../normalize/groups.js';
import type { Tri } from './match.js';

/** A mark as far as it is known: `value` holds the bits set in `known`; the others are unknown. */
export interface Mark {
  value: number;
  known: number;
}

export interface MarkState {
  /** The packet's mark (nfmark). */
  mark: Mark;
  /** Its connection's mark (ctmark). */
  ctmark: Mark;
}

const FULL = 0xffffffff;
const UNKNOWN: Mark = { value: 0, known: 0 };
const ZERO: Mark = { value: 0, known: FULL };

/** Where a traversal starts: a packet's mark 0; its connection's too when it is new. */
export function freshMarks(newConnection: boolean): MarkState {
  return { mark: ZERO, ctmark: newConnection ? ZERO : UNKNOWN };
}

/** `0x8000/0x8000` → [value, mask]; a bare value has the full mask. */
function valueMask(text: string | undefined): [number, number] | undefined {
  const [v, m] = (text ?? '').split('/');
  const value = Number(v);
  const mask = m === undefined ? FULL : Number(m);
  return Number.isInteger(value) && Number.isInteger(mask) ? [value >>> 0, mask >>> 0] : undefined;
}

/** `-m mark --mark V[/M]` or `-m connmark --mark V[/M]`. */
export function markMatch(b: Block, s: MarkState): Tri {
  const g = b.opts.find((o) => optName(o) === '--mark');
  const vm = g && valueMask(optValues(g)[0]);
  if (!g || !vm || b.opts.length > 1) return 'maybe';
  const have = b.name === 'mark' ? s.mark : s.ctmark;
  const [v, m] = vm;
  const differs = ((have.value ^ v) & m & have.known) >>> 0 !== 0;
  if (!differs && (have.known & m) >>> 0 !== m) return 'maybe';
  return !differs !== isNegated(g) ? 'yes' : 'no';
}

/** The mark after `--set-xmark`, `--set-mark`, `--and-mark`, `--or-mark`, `--xor-mark`. */
function setBits(opt: string, arg: string | undefined, old: Mark): Mark | undefined {
  const vm = valueMask(arg);
  if (!vm) return undefined;
  const [v, m] = vm;
  const of = (value: number, known: number) => ({ value: (value & known) >>> 0, known: known >>> 0 });
  if (opt === '--set-xmark') return of((old.value & ~m) ^ v, old.known | m);
  if (opt === '--set-mark') return of((old.value & ~m) | v, old.known | m | v);
  if (opt === '--and-mark') return of(old.value & v, old.known | ~v);
  if (opt === '--or-mark') return of(old.value | v, old.known | v);
  if (opt === '--xor-mark') return of(old.value ^ v, old.known);
  return undefined;
}

/** Either mark: the bits both know alike. */
function either(a: Mark, b: Mark): Mark {
  const known = (a.known & b.known & ~(a.value ^ b.value)) >>> 0;
  return { value: (a.value & known) >>> 0, known };
}

/** The marks once the target surely ran. */
function applied(t: Block, s: MarkState): MarkState {
  const [g, ...more] = t.opts;
  const opt = g ? optName(g) : '';
  if (t.name === 'CONNMARK' && (opt === '--save-mark' || opt === '--restore-mark')) {
    const masked = more.length > 0;
    if (opt === '--save-mark') return { ...s, ctmark: masked ? UNKNOWN : s.mark };
    return { ...s, mark: masked ? UNKNOWN : s.ctmark };
  }
  const key = t.name === 'MARK' ? 'mark' : 'ctmark';
  const next = g && more.length === 0 ? setBits(opt, optValues(g)[0], s[key]) : undefined;
  return { ...s, [key]: next ?? UNKNOWN };
}

/** A MARK or CONNMARK target applied; `sure`: its rule surely matched on a path surely taken. */
export function applyMarkTarget(t: Block, s: MarkState, sure: boolean): void {
  if (t.name !== 'MARK' && t.name !== 'CONNMARK') return;
  const next = applied(t, s);
  s.mark = sure ? next.mark : either(s.mark, next.mark);
  s.ctmark = sure ? next.ctmark : either(s.ctmark, next.ctmark);
}
