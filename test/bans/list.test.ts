import { describe, expect, it } from 'vitest';
import { addEntries, liveEntries, makeEntry, removeCidrs, removeExpired } from '../../src/bans/list.js';

const req = { who: 'alice', when: new Date('2025-06-01T00:00:00Z'), force: false };
const a = makeEntry({ cidr: '203.0.113.7/32', family: 4 }, { ...req, ttlMs: 3_600_000, reason: 'scan' });
const b = makeEntry({ cidr: '2001:db8::7/128', family: 6 }, req);

describe('ban list', () => {
  it('makes entries with who, when and expiry', () => {
    expect(a).toEqual({
      cidr: '203.0.113.7/32',
      family: 4,
      who: 'alice',
      when: '2025-06-01T00:00:00.000Z',
      reason: 'scan',
      expires: '2025-06-01T01:00:00.000Z',
    });
    expect(b.expires).toBeUndefined();
  });

  it('adds once; a second add is no change', () => {
    const first = addEntries([], [a, b]);
    expect(first.added).toEqual([a, b]);
    const second = addEntries(first.list, [a]);
    expect(second.added).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.list).toEqual([a, b]);
  });

  it('removes and reports what was not listed', () => {
    const r = removeCidrs([a, b], ['203.0.113.7/32', '192.0.2.1/32']);
    expect(r.list).toEqual([b]);
    expect(r.removed).toEqual([a]);
    expect(r.missing).toEqual(['192.0.2.1/32']);
  });

  it('expires at the expiry time, permanent bans stay', () => {
    const at = (iso: string) => new Date(iso);
    expect(removeExpired([a, b], at('2025-06-01T00:59:59Z')).removed).toEqual([]);
    const r = removeExpired([a, b], at('2025-06-01T01:00:00Z'));
    expect(r.removed).toEqual([a]);
    expect(r.list).toEqual([b]);
    expect(liveEntries([a, b], at('2030-01-01T00:00:00Z'))).toEqual([b]);
  });
});
