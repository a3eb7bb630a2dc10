/**
 * Packet and connection marks along one simulated traversal. A new connection starts with both
 * marks 0; MARK and CONNMARK targets change them when their rule surely matches, and make them
 * unknown when it only may. `-m mark` / `-m connmark` then answer yes or no on a known mark,
 * maybe on an unknown one — so kube-proxy's `--mark 0x8000/0x8000 -j DROP` does not drop a packet
 * nothing marked, and does when a rule surely marked it.
 */
import { type Block, isNegated, optName, optValues } from '../normalize/groups.js';
import type { Tri } from './match.js';

export interface MarkState {
  /** The packet's mark (nfmark); undefined: unknown. */
  mark: number | undefined;
  /** Its connection's mark (ctmark); undefined: unknown. */
  ctmark: number | undefined;
}

const FULL = 0xffffffff;

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
  const have = b.name === 'mark' ? s.mark : s.ctmark;
  if (!g || !vm || have === undefined || b.opts.length > 1) return 'maybe';
  const yes = (have & vm[1]) >>> 0 === (vm[0] & vm[1]) >>> 0;
  return yes !== isNegated(g) ? 'yes' : 'no';
}

/** The new value after `--set-xmark`, `--set-mark`, `--and-mark`, `--or-mark`, `--xor-mark`. */
function setValue(opt: string, arg: string | undefined, old: number): number | undefined {
  const vm = valueMask(arg);
  if (!vm) return undefined;
  const [v, m] = vm;
  if (opt === '--set-xmark') return ((old & ~m) ^ v) >>> 0;
  if (opt === '--set-mark') return ((old & ~m) | v) >>> 0;
  if (opt === '--and-mark') return (old & v) >>> 0;
  if (opt === '--or-mark') return (old | v) >>> 0;
  if (opt === '--xor-mark') return (old ^ v) >>> 0;
  return undefined;
}

/** A MARK or CONNMARK target applied; `sure`: its rule surely matched on a path surely taken. */
export function applyMarkTarget(t: Block, s: MarkState, sure: boolean): void {
  if (t.name !== 'MARK' && t.name !== 'CONNMARK') return;
  const key = t.name === 'MARK' ? 'mark' : 'ctmark';
  const [g, ...more] = t.opts;
  const opt = g ? optName(g) : '';
  if (!sure || !g) {
    s[key] = undefined;
    if (opt === '--restore-mark') s.mark = undefined;
    return;
  }
  if (t.name === 'CONNMARK' && (opt === '--save-mark' || opt === '--restore-mark')) {
    const masked = more.length > 0;
    if (opt === '--save-mark') s.ctmark = masked ? undefined : s.mark;
    else s.mark = masked ? undefined : s.ctmark;
    return;
  }
  const old = s[key];
  s[key] = old === undefined || more.length > 0 ? undefined : setValue(opt, optValues(g)[0], old);
}
