/** Rates as iptables' limit module takes them, normalized to how iptables-save prints them. */

const UNITS: Record<string, string> = {
  s: 'sec',
  sec: 'sec',
  second: 'sec',
  m: 'min',
  min: 'min',
  minute: 'min',
  h: 'hour',
  hour: 'hour',
  d: 'day',
  day: 'day',
};

/** `5/second` -> `5/sec`; undefined when not a rate. */
export function normalizeRate(text: string): string | undefined {
  const m = /^(\d{1,5})\/([a-z]+)$/.exec(text.trim());
  const unit = m ? UNITS[m[2]!] : undefined;
  const n = m ? Number(m[1]) : 0;
  return unit && n >= 1 && n <= 10000 ? `${n}/${unit}` : undefined;
}
