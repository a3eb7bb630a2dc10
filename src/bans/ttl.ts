/** Ban lifetimes: `30m`, `24h`, `7d`, `2w`, or combined like `1d12h`. */

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Longest lifetime accepted: past this, a permanent ban (no --ttl) says what is meant. */
export const MAX_TTL_MS = 366 * UNIT_MS.d!;

export type TtlParse = { ok: true; ms: number } | { ok: false; message: string };

export function parseTtl(text: string): TtlParse {
  const t = text.trim().toLowerCase();
  if (!/^(\d+[smhdw])+$/.test(t)) {
    return {
      ok: false,
      message: `--ttl "${text}": use a number and a unit (s, m, h, d, w), e.g. 30m, 24h, 7d, 1d12h`,
    };
  }
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit!]!;
  if (ms <= 0) return { ok: false, message: `--ttl "${text}" must be longer than zero` };
  if (ms > MAX_TTL_MS)
    return { ok: false, message: `--ttl "${text}" is longer than a year; omit --ttl for a permanent ban` };
  return { ok: true, ms };
}

/** `2d3h`, `45m`, `10s`: the two largest units, for lists and reports. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return '0s';
  const parts: string[] = [];
  let rest = Math.floor(ms / 1000) * 1000;
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = UNIT_MS[unit]!;
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join('');
}

export function expiryAfter(when: Date, ttlMs: number): string {
  return new Date(when.getTime() + ttlMs).toISOString();
}
