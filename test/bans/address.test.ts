import { describe, expect, it } from 'vitest';
import { displayCidr, isTooWide, overlaps, parseBanTarget } from '../../src/bans/address.js';

const ok = (s: string) => {
  const r = parseBanTarget(s);
  if (!r.ok) throw new Error(r.message);
  return r;
};

describe('parseBanTarget', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7/32', 4],
    ['203.0.113.0/24', '203.0.113.0/24', 4],
    [' 198.51.100.9/32 ', '198.51.100.9/32', 4],
    ['2001:DB8::7', '2001:db8::7/128', 6],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1/128', 6],
    ['2001:db8:1::/48', '2001:db8:1::/48', 6],
  ])('%s -> %s', (input, cidr, family) => {
    expect(ok(input).target).toEqual({ cidr, family });
  });

  it('clears host bits and says so', () => {
    expect(ok('203.0.113.77/24')).toEqual({
      ok: true,
      target: { cidr: '203.0.113.0/24', family: 4 },
      hostBitsCleared: true,
    });
    expect(ok('2001:db8:1:2::5/48').target.cidr).toBe('2001:db8:1::/48');
    expect(ok('203.0.113.0/24').hostBitsCleared).toBe(false);
  });

  it.each([
    'evil.example.com',
    '203.0.113.300',
    '127.1',
    '0x7f.0.0.1',
    '010.0.0.1',
    '203.0.113.7/33',
    '203.0.113.7/-1',
    '203.0.113.7/24/1',
    '2001:db8::/129',
    '2001:db8::g',
    'fe80::1%eth0',
    '::ffff:203.0.113.7',
    '1.2.3.4; rm -rf /',
    '',
  ])('refuses %j with a clear message', (input) => {
    const r = parseBanTarget(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/not an IPv4 or IPv6 address or CIDR|prefix length/);
  });
});

describe('width and overlap', () => {
  it('refuses IPv4 wider than /8 and IPv6 wider than /32', () => {
    expect(isTooWide(ok('10.0.0.0/8').target)).toBe(false);
    expect(isTooWide(ok('10.0.0.0/7').target)).toBe(true);
    expect(isTooWide(ok('0.0.0.0/0').target)).toBe(true);
    expect(isTooWide(ok('2001:db8::/32').target)).toBe(false);
    expect(isTooWide(ok('2001:db8::/31').target)).toBe(true);
  });

  it('overlaps in both directions, never across families', () => {
    expect(overlaps('10.0.0.0/8', '10.1.2.3/32')).toBe(true);
    expect(overlaps('10.1.2.3/32', '10.0.0.0/8')).toBe(true);
    expect(overlaps('10.0.0.0/24', '10.0.1.0/24')).toBe(false);
    expect(overlaps('2001:db8::/32', '2001:db8:5::1/128')).toBe(true);
    expect(overlaps('::/0', '10.0.0.1/32')).toBe(false);
  });

  it('displays single addresses bare', () => {
    expect(displayCidr('203.0.113.7/32')).toBe('203.0.113.7');
    expect(displayCidr('2001:db8::7/128')).toBe('2001:db8::7');
    expect(displayCidr('203.0.113.0/24')).toBe('203.0.113.0/24');
  });
});
