import { describe, expect, it } from 'vitest';
import { parseBanText } from '../../src/bans/file-parse.js';
import { ALWAYS_PROTECTED } from '../../src/bans/guard.js';
import { makeEntry } from '../../src/bans/list.js';
import { checkList, planBan, planUnban } from '../../src/bans/plan.js';
import { renderBanList } from '../../src/bans/render-list.js';
import { formatProblem } from '../../src/errors.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const RANGES = [
  { cidr: '192.0.2.0/28', why: 'settings.management_sources (192.0.2.0/28)' },
  ...ALWAYS_PROTECTED,
];
const flags = { who: 'alice', force: false };

describe('planBan', () => {
  it('validates every input and flag at once', () => {
    const p = planBan(
      ['nope', '192.0.2.5', '64.0.0.0/4', '203.0.113.7'],
      { ...flags, ttl: '1y', reason: 'a\nb' },
      NOW,
      RANGES,
    );
    expect(p.problems.map((x) => x.message)).toEqual([
      expect.stringContaining('--ttl "1y"'),
      '--reason must be one line of at most 300 characters',
      '"nope" is not an IPv4 or IPv6 address or CIDR',
      expect.stringMatching(/^refusing to ban 192\.0\.2\.5: it covers settings\.management_sources/),
      expect.stringMatching(/"64\.0\.0\.0\/4" is too wide/),
    ]);
    expect(p.entries.map((e) => e.cidr)).toEqual(['203.0.113.7/32']);
  });

  it('--force allows a wide CIDR (recorded as force) but never a protected one', () => {
    const p = planBan(['10.0.0.0/6', '192.0.0.0/8'], { ...flags, force: true }, NOW, RANGES);
    expect(p.entries).toEqual([expect.objectContaining({ cidr: '8.0.0.0/6', force: true })]);
    expect(p.problems).toEqual([{ message: expect.stringContaining('refusing to ban 192.0.0.0/8') }]);
  });

  it('notes host bits and duplicates, sets who, when and expiry', () => {
    const p = planBan(
      ['203.0.113.9/24', '203.0.113.0/24'],
      { ...flags, ttl: '24h', reason: 'scan' },
      NOW,
      RANGES,
    );
    expect(p.problems).toEqual([]);
    expect(p.notes).toEqual([
      '203.0.113.9/24 has host bits set: using 203.0.113.0/24',
      '203.0.113.0/24 is given twice; banning it once',
    ]);
    expect(p.entries).toEqual([
      {
        cidr: '203.0.113.0/24',
        family: 4,
        who: 'alice',
        when: '2025-06-01T12:00:00.000Z',
        reason: 'scan',
        expires: '2025-06-02T12:00:00.000Z',
      },
    ]);
  });
});

describe('planUnban and checkList', () => {
  const list = [makeEntry({ cidr: '203.0.113.0/24', family: 4 }, { who: 'a', when: NOW, force: false })];

  it('lifts exact CIDRs, and says when one is unlisted or still covered', () => {
    const p = planUnban(['203.0.113.7', '203.0.113.0/24', 'bad'], list);
    expect(p.targets.map((t) => t.cidr)).toEqual(['203.0.113.7/32', '203.0.113.0/24']);
    expect(p.notes).toEqual([
      '203.0.113.7 is not in the ban list; lifting it from the hosts anyway',
      '203.0.113.7 is still covered by the ban on 203.0.113.0/24',
    ]);
    expect(p.problems).toHaveLength(1);
  });

  it('names the line and column of a refused bans.yaml entry', () => {
    const text = 'bans:\n  - address: 203.0.113.0/24\n  - address: 169.254.169.254\n';
    const parsed = parseBanText(text, 'inventory/bans.yaml');
    expect(parsed.problems).toEqual([]);
    const problems = checkList(parsed.entries, RANGES, 'inventory/bans.yaml', parsed.positions);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^inventory\/bans\.yaml:3:14 refusing to ban 169\.254\.169\.254: it covers IPv4 link-local/,
      ),
    ]);
  });

  it('--force never allows a range the guard always protects', () => {
    const p = planBan(['224.0.0.0/3', '169.254.0.0/16', 'ff00::/8'], { ...flags, force: true }, NOW, RANGES);
    expect(p.entries).toEqual([]);
    expect(p.problems).toHaveLength(3);
  });

  it('refuses a list whose entry covers a protected range', () => {
    const bad = makeEntry({ cidr: '192.0.2.0/24', family: 4 }, { who: 'a', when: NOW, force: false });
    expect(checkList([...list, bad], RANGES, 'bans.yaml')).toEqual([
      { message: expect.stringMatching(/^bans\.yaml: refusing to ban 192\.0\.2\.0\/24: it covers settings/) },
    ]);
  });
});

describe('fleet bans list', () => {
  it('prints expiry relative to now and counts expired bans', () => {
    const e = (cidr: string, ttlMs?: number) =>
      makeEntry(
        { cidr, family: 4 },
        { who: 'bob', when: new Date(NOW.getTime() - 3_600_000), force: false, ttlMs, reason: 'x' },
      );
    const text = renderBanList(
      [e('203.0.113.7/32', 7_200_000), e('198.51.100.0/24', 1_800_000), e('192.0.2.1/32')],
      NOW,
    );
    expect(text).toContain('203.0.113.7      in 1h');
    expect(text).toContain('198.51.100.0/24  expired 30m ago');
    expect(text).toContain('192.0.2.1        never');
    expect(text).toContain('1 expired: run `fleet bans expire` to lift them');
    expect(renderBanList([], NOW)).toBe('no bans\n');
  });
});
