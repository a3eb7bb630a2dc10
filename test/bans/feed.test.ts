/** Blocklist feeds: the Spamhaus DROP / FireHOL format, every bad line named FILE:line:column. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/bans/feed.js';
import { ALWAYS_PROTECTED } from '../../src/bans/guard.js';
import { formatProblem } from '../../src/errors.js';

const FEEDS = join(import.meta.dirname, 'fixtures', 'feeds');
const read = (name: string) => readFileSync(join(FEEDS, name), 'utf8');

describe('parseFeed', () => {
  it('reads a Spamhaus DROP / FireHOL style list: comments skipped, duplicates once', () => {
    const f = parseFeed(read('drop.txt'), 'drop.txt', ALWAYS_PROTECTED, false);
    expect(f.problems).toEqual([]);
    expect(f.lines).toBe(6);
    expect(f.targets.map((t) => t.cidr)).toEqual([
      '192.0.2.0/28',
      '198.51.100.64/26',
      '203.0.113.128/25',
      '198.18.0.1/32',
      '2001:db8:bad::/48',
    ]);
  });

  it('names every bad line with FILE:line:column (guard, syntax, width)', () => {
    const f = parseFeed(read('bad.txt'), 'bad.txt', ALWAYS_PROTECTED, false);
    expect(f.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^bad\.txt:3:3 refusing to ban 169\.254\.0\.0\/16: it covers IPv4 link-local/),
      'bad.txt:4:1 "not-an-address" is not an IPv4 or IPv6 address or CIDR',
      expect.stringMatching(/^bad\.txt:5:1 "198\.0\.0\.0\/7" is too wide/),
      expect.stringMatching(/^bad\.txt:6:1 refusing to ban 224\.0\.0\.1: it covers IPv4 multicast/),
    ]);
  });

  it('--force allows a wide CIDR, never a protected one', () => {
    const f = parseFeed('198.0.0.0/7\n224.0.0.0/4\n', 'f', ALWAYS_PROTECTED, true);
    expect(f.targets.map((t) => t.cidr)).toEqual(['198.0.0.0/7']);
    expect(f.problems).toHaveLength(1);
  });
});
