/**
 * Rules-mode expiry, the pure parts: a timed ban's end travels in its rule's comment
 * (`fleet:bans:CIDR,until=EPOCH`), the same from the compiler and the ban script; the end goes
 * to the host on stdin and comes back with what the host holds; audit reads it.
 */
import { describe, expect, it } from 'vitest';
import { heldRows, pulledEntries } from '../../src/bans/held.js';
import { hostTargets } from '../../src/bans/list.js';
import { banUntil } from '../../src/model/ban.js';
import { expiredBans } from '../../src/ops/audit/bans.js';
import { banStdin, parseHeldBans } from '../../src/ops/ban/push.js';
import { banEntry, banRules, parseBanEntry } from '../../src/ruleset/index.js';
import { parseSave } from '../../src/ruleset/parse.js';

describe('a timed ban names its end in its rule', () => {
  it('banUntil: the epoch second at or after expires (never early); permanent is undefined', () => {
    expect(banUntil('2026-12-06T21:00:00.000Z')).toBe(1796590800);
    expect(banUntil('2026-12-06T21:00:00.001Z')).toBe(1796590801);
    expect(banUntil(undefined)).toBeUndefined();
    expect(banUntil('not a time')).toBeUndefined();
  });

  it('encodes and parses the comment entry, IPv4 and IPv6', () => {
    expect(banEntry('203.0.113.7/32', 1796590800)).toBe('203.0.113.7/32,until=1796590800');
    expect(banEntry('203.0.113.7/32')).toBe('203.0.113.7/32');
    expect(parseBanEntry('2001:db8::7/128,until=1796590800')).toEqual({
      cidr: '2001:db8::7/128',
      until: 1796590800,
    });
    expect(parseBanEntry('2001:db8::7/128')).toEqual({ cidr: '2001:db8::7/128' });
    // Not a time: read as no end (the ban stays; nothing is lifted on a guess).
    expect(parseBanEntry('203.0.113.7/32,until=soon')).toEqual({ cidr: '203.0.113.7/32,until=soon' });
    expect(parseBanEntry('203.0.113.7/32,until=0')).toEqual({ cidr: '203.0.113.7/32,until=0' });
  });

  it('the compiler writes the end; a CIDR given twice keeps the longer-lived (permanent wins)', () => {
    const args = (bans: Parameters<typeof banRules>[0]) => banRules(bans, 4, 'rules').map((r) => r.comment);
    const at = (iso: string) => ({ cidr: '203.0.113.7/32', family: 4 as const, expires: iso });
    expect(args([at('2026-12-06T21:00:00Z')])).toEqual(['fleet:bans:203.0.113.7/32,until=1796590800']);
    expect(args([at('2026-12-06T21:00:00Z'), at('2026-12-06T22:00:00Z')])).toEqual([
      'fleet:bans:203.0.113.7/32,until=1796594400',
    ]);
    expect(args([at('2026-12-06T21:00:00Z'), { cidr: '203.0.113.7', family: 4 }])).toEqual([
      'fleet:bans:203.0.113.7/32',
    ]);
    expect(banRules([at('2026-12-06T21:00:00Z')], 4, 'ipset')[0]!.comment).toBe('fleet:bans:fleet-bans4');
  });

  it('goes to the host with its seconds left and its end; comes back with what the host holds', () => {
    const now = new Date('2026-12-06T20:00:00Z');
    const targets = hostTargets(
      [
        { cidr: '203.0.113.7/32', family: 4, who: 'a', when: '', expires: '2026-12-06T21:00:00Z' },
        { cidr: '2001:db8::7/128', family: 6, who: 'a', when: '' },
        { cidr: '198.51.100.0/24', family: 4, who: 'a', when: '', expires: '2026-12-06T19:00:00Z' },
      ],
      now,
    );
    expect(banStdin(targets)).toBe(
      '4 203.0.113.7/32 3600 1796590800\n6 2001:db8::7/128 0\n4 198.51.100.0/24 x\n',
    );
    expect(
      parseHeldBans('4 203.0.113.7/32 3600 1796590800\n6 2001:db8::7/128 0 0\n4 192.0.2.1/32 60'),
    ).toEqual([
      { cidr: '203.0.113.7/32', family: 4, timeout: 3600, until: 1796590800 },
      { cidr: '2001:db8::7/128', family: 6, timeout: 0 },
      { cidr: '192.0.2.1/32', family: 4, timeout: 60 },
    ]);
  });

  it('audit: a rule whose end the host clock has passed is over but still held', () => {
    const rs = parseSave(
      [
        '*raw',
        ':PREROUTING ACCEPT [0:0]',
        ':FLEET-BANS - [0:0]',
        '-A PREROUTING -m comment --comment "fleet:bans:jump" -j FLEET-BANS',
        '-A FLEET-BANS -s 192.0.2.1/32 -m comment --comment "fleet:bans:192.0.2.1/32,until=100" -j DROP',
        '-A FLEET-BANS -s 192.0.2.2/32 -m comment --comment "fleet:bans:192.0.2.2/32,until=300" -j DROP',
        '-A FLEET-BANS -s 192.0.2.3/32 -m comment --comment "fleet:bans:192.0.2.3/32" -j DROP',
        'COMMIT',
      ].join('\n'),
      { family: 4 },
    );
    expect(expiredBans(rs, 200)).toEqual(['192.0.2.1/32']);
    expect(expiredBans(rs, 50)).toEqual([]);
  });
});

describe('bans pull in rules mode', () => {
  it("records the end the host's rule names, so the pulled entry compiles to that same rule", () => {
    const now = new Date('2026-12-06T20:00:00Z');
    const held = [{ cidr: '203.0.113.7/32', family: 4 as const, timeout: 3599, until: 1796590800 }];
    const rows = heldRows([{ host: 'web1', held }], []);
    const [entry] = pulledEntries(rows, now, 'alice');
    expect(entry?.expires).toBe('2026-12-06T21:00:00.000Z');
    expect(banRules([entry!], 4, 'rules')[0]!.comment).toBe('fleet:bans:203.0.113.7/32,until=1796590800');
  });
});
