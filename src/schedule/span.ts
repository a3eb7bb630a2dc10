/**
 * Spans of time as people write them on the command line: `90s`, `30m`, `1h`, `1d`, `2w`, or
 * combined (`1d12h`). Used by `audit --backup-max-age`, `schedule --every`, `logs --since`.
 */
import { InputError } from '../errors.js';

export const SPAN_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in `text`; an InputError naming the flag when it is not a span or out of range. */
export function parseSpan(flag: string, text: string, range: { min?: number; max?: number } = {}): number {
  const t = text.trim().toLowerCase();
  if (!/^(\d{1,9}[smhdw])+$/.test(t))
    throw spanError(flag, text, 'use a number and a unit (s, m, h, d, w), e.g. 30m, 1h, 1d, 1d12h');
  let seconds = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/g)) seconds += Number(n) * SPAN_UNITS[unit!]!;
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  if (seconds < min) throw spanError(flag, text, `must be at least ${formatSpan(min)}`);
  if (seconds > max) throw spanError(flag, text, `must be at most ${formatSpan(max)}`);
  return seconds;
}

function spanError(flag: string, text: string, why: string): InputError {
  return new InputError({ path: flag, message: `${JSON.stringify(text)}: ${why}` });
}

/** The shortest exact form: 86400 → `1d`, 5400 → `1h30m`, 0 → `0s`. */
export function formatSpan(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of Object.entries(SPAN_UNITS).reverse()) {
    if (unit === 'w' || rest < size) continue;
    parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return parts.join('') || '0s';
}
