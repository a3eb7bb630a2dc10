import { describe, expect, it } from 'vitest';
import { expiryAfter, formatDuration, parseTtl } from '../../src/bans/ttl.js';

describe('parseTtl', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['24h', 24 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['1d12h', 36 * 3_600_000],
    ['90s', 90_000],
    ['24H', 24 * 3_600_000],
  ])('%s', (text, ms) => {
    expect(parseTtl(text)).toEqual({ ok: true, ms });
  });

  it.each(['', '24', 'h', '1.5h', '-1h', '24 h', '1y', '0m', '400d', '1h;reboot'])('refuses %j', (text) => {
    const r = parseTtl(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('--ttl');
  });
});

describe('durations', () => {
  it('formats the two largest units', () => {
    expect(formatDuration(36 * 3_600_000 + 5 * 60_000)).toBe('1d12h');
    expect(formatDuration(45 * 60_000)).toBe('45m');
    expect(formatDuration(500)).toBe('0s');
  });

  it('computes expiry from the ban time', () => {
    expect(expiryAfter(new Date('2025-01-01T00:00:00Z'), 86_400_000)).toBe('2025-01-02T00:00:00.000Z');
  });
});
