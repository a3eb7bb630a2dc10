/**
 * `--every SPAN` as a schedule: a systemd calendar expression when the span divides the clock
 * evenly (every 15m, 1h, 6h, 1d, 1w), else a monotonic interval; and the crontab fields, which
 * only the even spans have. Nightly and weekly runs start at 02:00 (plus a spread). Pure.
 */
import { InputError } from '../errors.js';
import { formatSpan, parseSpan } from './span.js';

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;
const WEEK = 7 * DAY;
/** The hour nightly (and weekly) audits start at. */
export const NIGHT_HOUR = 2;

export type Every =
  | { kind: 'calendar'; seconds: number; onCalendar: string; cron: (minute: number) => string }
  | { kind: 'interval'; seconds: number };

export function parseEvery(text: string): Every {
  const seconds = parseSpan('--every', text, { min: 5 * MIN, max: 4 * WEEK });
  return calendarFor(seconds) ?? { kind: 'interval', seconds };
}

function calendarFor(s: number): Every | undefined {
  const two = (n: number) => String(n).padStart(2, '0');
  const at = (onCalendar: string, cron: (m: number) => string): Every => ({
    kind: 'calendar',
    seconds: s,
    onCalendar,
    cron,
  });
  if (s === WEEK) return at(`Mon *-*-* ${two(NIGHT_HOUR)}:00:00`, (m) => `${m} ${NIGHT_HOUR} * * 1`);
  if (s === DAY) return at(`*-*-* ${two(NIGHT_HOUR)}:00:00`, (m) => `${m} ${NIGHT_HOUR} * * *`);
  if (s % HOUR === 0 && DAY % s === 0) {
    const h = s / HOUR;
    return at(`*-*-* 00/${h}:00:00`, (m) => `${m} */${h} * * *`);
  }
  if (s % MIN === 0 && HOUR % s === 0) {
    const m = s / MIN;
    return at(`*-*-* *:00/${m}:00`, (spread) => `${spread % m}-59/${m} * * * *`);
  }
  return undefined;
}

/** The crontab time fields; cron has no form for an uneven span. */
export function cronFields(every: Every, spreadMinute: number): string {
  if (every.kind === 'calendar') return every.cron(spreadMinute % 60);
  throw new InputError({
    path: '--every',
    message: `cron cannot run something every ${formatSpan(every.seconds)}: use a span that divides the clock (5m, 10m, 15m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 1d, 1w) or the systemd timer`,
  });
}

/** RandomizedDelaySec: a tenth of the span, at most an hour (hosts of many workstations spread). */
export function randomDelay(every: Every): number {
  return Math.min(HOUR, Math.floor(every.seconds / 10));
}
