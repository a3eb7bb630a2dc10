/**
 * The fast path and the compiler must write bans identically, or `apply` after `ban` would show
 * a difference: rules.ts (what the ban script writes) against ruleset/compile/bans.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Ban } from '../../src/model/ban.js';
import { banStdin, onlyFamily, parseBanOutput } from '../../src/ops/ban/push.js';
import { banJumpArgs, banRuleTemplate, banSetRuleArgs } from '../../src/ops/ban/rules.js';
import { describeOutcome } from '../../src/ops/ban/task.js';
import { BAN_TABLE, banChains, banRules, compileFamily, isBanJump } from '../../src/ruleset/index.js';
import { ALL_FIXTURES, HOST, MGMT } from '../ruleset/fixtures/profiles.js';

const BANS: Ban[] = [
  { cidr: '203.0.113.7/32', family: 4 },
  { cidr: '198.51.100.0/24', family: 4 },
  { cidr: '2001:db8::7/128', family: 6 },
  { cidr: '192.0.2.10/32', family: 4 },
];

describe('ban rules: fast path = compiler', () => {
  it("the script writes the compiler's rules (ipset mode: one rule per family)", () => {
    for (const f of [4, 6] as const) expect(banSetRuleArgs(f)).toEqual(banRules(BANS, f, 'ipset')[0]!.args);
    const cidr = '203.0.113.7/32';
    const fill = (entry: string) =>
      banRuleTemplate('@', '%').map((a) => a.replace('@', cidr).replace('%', entry));
    expect(fill(cidr)).toEqual(banRules([{ cidr, family: 4 }], 4, 'rules')[0]!.args);
    const expires = '2026-12-06T21:00:00.000Z';
    expect(fill(`${cidr},until=1796590800`)).toEqual(
      banRules([{ cidr, family: 4, expires }], 4, 'rules')[0]!.args,
    );
  });

  it('jumps first from raw PREROUTING, for both families, whatever the profile', () => {
    for (const f of [4, 6] as const) {
      const rs = compileFamily(
        { profile: ALL_FIXTURES.base!, host: HOST, managementSources: MGMT, bans: BANS },
        f,
      );
      const raw = rs.tables.find((t) => t.name === BAN_TABLE)!;
      const pre = raw.chains.find((c) => c.name === 'PREROUTING')!;
      expect(pre.rules[0]!.args).toEqual(banJumpArgs());
      expect(isBanJump(pre.rules[0]!)).toBe(true);
      const filter = rs.tables.find((t) => t.name === 'filter')!;
      expect(filter.chains.some((c) => c.name === 'FLEET-BANS')).toBe(false);
    }
  });

  it('sorts rules-mode bans by CIDR text and names each in its comment', () => {
    const chain = banChains(BANS, 4, 'rules').find((c) => c.name === 'FLEET-BANS')!;
    expect(chain.rules.map((r) => r.args.join(' '))).toEqual([
      '-s 192.0.2.10/32 -m comment --comment fleet:bans:192.0.2.10/32 -j DROP',
      '-s 198.51.100.0/24 -m comment --comment fleet:bans:198.51.100.0/24 -j DROP',
      '-s 203.0.113.7/32 -m comment --comment fleet:bans:203.0.113.7/32 -j DROP',
    ]);
  });

  it('sends each ban with the seconds it has left (0 permanent, x over)', () => {
    expect(
      banStdin([
        { cidr: '203.0.113.7/32', family: 4, ttlSeconds: 3600 },
        { cidr: '2001:db8::7/128', family: 6 },
        { cidr: '198.51.100.0/24', family: 4, over: true },
      ]),
    ).toBe('4 203.0.113.7/32 3600\n6 2001:db8::7/128 0\n4 198.51.100.0/24 x\n');
  });
});

describe('the family argument of the ban script', () => {
  const t4 = { cidr: '192.0.2.1/32', family: 4 as const };
  const t6 = { cidr: '2001:db8::1/128', family: 6 as const };
  it('names the one family an add or del touches, else all', () => {
    expect(onlyFamily({ op: 'add', targets: [t4] })).toBe('4');
    expect(onlyFamily({ op: 'del', targets: [t6, t6] })).toBe('6');
    expect(onlyFamily({ op: 'add', targets: [t4, t6] })).toBe('all');
    expect(onlyFamily({ op: 'add', targets: [] })).toBe('all');
    expect(onlyFamily({ op: 'sync', targets: [t4] })).toBe('all');
    expect(onlyFamily({ op: 'list', targets: [] })).toBe('all');
  });
});

describe('the ban script output', () => {
  const OUT = [
    'mode=ipset',
    'v4_before=1',
    'v4_after=2',
    'v4_added=1',
    'v4_removed=0',
    'v6_before=0',
    'v6_after=1',
    'v6_added=1',
    'v6_removed=0',
    'load_ms=3',
    'persisted=/etc/iptables/rules.v6 /etc/iptables/ipsets',
    'conntrack_deleted=2',
    'changed=yes',
    'host_ms=40',
  ].join('\n');

  it('parses into an outcome', () => {
    expect(parseBanOutput(OUT)).toEqual({
      mode: 'ipset',
      changed: true,
      count: { 4: 2, 6: 1 },
      added: 2,
      removed: 0,
      persisted: ['/etc/iptables/rules.v6', '/etc/iptables/ipsets'],
      flowsEnded: 2,
      loadMs: 3,
      hostMs: 40,
      expired: 0,
      held: [],
    });
  });

  it('rules mode: the timed bans found over and lifted, and the expiry timer armed', () => {
    const o = parseBanOutput('mode=rules\nv4_after=1\nexpired=2\nexpiry_timer=1796590800\nchanged=yes');
    expect(o).toMatchObject({ mode: 'rules', expired: 2, timerArmed: 1796590800 });
    expect(describeOutcome(o, 'add').detail).toBe('no new ban (rules: 1 IPv4 banned here); 2 over lifted');
  });

  it('says what happened on the host', () => {
    const o = parseBanOutput(OUT);
    expect(describeOutcome(o, 'add')).toMatchObject({
      status: 'changed',
      detail: 'banned 2 new (ipset: 2 IPv4, 1 IPv6 banned here); 2 flows ended, persisted',
    });
    const same = parseBanOutput('mode=rules\nv4_after=2\nchanged=no\nconntrack_deleted=absent');
    expect(same.flowsEnded).toBeNull();
    expect(describeOutcome(same, 'add')).toMatchObject({
      status: 'unchanged',
      detail: 'already banned (rules: 2 IPv4 banned here)',
    });
    expect(describeOutcome(same, 'sync').detail).toBe('in sync (rules: 2 IPv4 banned here)');
  });
});
