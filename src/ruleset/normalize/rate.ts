/**
 * `limit` rates as the kernel stores and prints them: the rate becomes a period in units of
 * 1/10000 s, printed back in the largest unit that keeps it whole (xt_limit's print_rate).
 * So `60/minute` comes back as `1/sec` and `5/second` as `5/sec`.
 */
const SCALE = 10000;
/** The units xt_limit and xt_hashlimit print rates in, largest first, in seconds. */
export const UNITS: Array<[string, number]> = [
  ['day', 86400],
  ['hour', 3600],
  ['min', 60],
  ['sec', 1],
];

/** Seconds of a rate's unit as iptables reads it (any prefix of second, minute, hour, day). */
export function unitSeconds(unit: string): number | undefined {
  const u = unit.toLowerCase();
  if ('second'.startsWith(u) || u === 'sec') return 1;
  if ('minute'.startsWith(u)) return 60;
  if ('hour'.startsWith(u)) return 3600;
  if ('day'.startsWith(u)) return 86400;
  return undefined;
}

/** The kernel's period for a rate, or undefined when iptables would refuse it. */
export function ratePeriod(rate: string): number | undefined {
  const [num, unit] = rate.split('/');
  const r = Number(num);
  const mult = unit === undefined ? 1 : unitSeconds(unit);
  if (!Number.isInteger(r) || r <= 0 || mult === undefined || unit === '') return undefined;
  const period = Math.floor((SCALE * mult) / r);
  return period === 0 ? undefined : period;
}

export function printRate(period: number): string {
  let i = 1;
  for (; i < UNITS.length; i++) {
    const mult = SCALE * UNITS[i]![1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, secs] = UNITS[i - 1]!;
  return `${Math.floor((SCALE * secs) / period)}/${name}`;
}

export function normalizeRate(rate: string): string {
  const period = ratePeriod(rate);
  return period === undefined ? rate : printRate(period);
}
