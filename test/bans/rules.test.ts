/**
 * The fast path and the compiler must write bans identically, or `apply` after `ban` would show
 * a difference: rules.ts (what the ban script writes) against ruleset/compile/bans.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Ban } from '../../src/model/ban.js';
import { parseBanOutput } from '../../src/ops/ban/push.js';
import {
  BAN_CHAIN,
  BAN_HOOKS,
  banChainRules,
  banJumpArgs,
  banRestoreLines,
  ipsetRestoreText,
} from '../../src/ops/ban/rules.js';
import { describeOutcome } from '../../src/ops/ban/task.js';
import { banJump, banRules, BAN_HOOKS as COMPILER_HOOKS } from '../../src/ruleset/index.js';

const BANS: Ban[] = [
  { cidr: '203.0.113.7/32', family: 4 },
  { cidr: '198.51.100.0/24', family: 4 },
  { cidr: '2001:db8::7/128', family: 6 },
  { cidr: '192.0.2.10/32', family: 4 },
];

describe('ban rules: fast path = compiler', () => {
  it.each([
    [4, 'rules'],
    [6, 'rules'],
    [4, 'ipset'],
    [6, 'ipset'],
  ] as const)('family %i, mode %s', (family, mode) => {
    expect(banChainRules(BANS, family, mode)).toEqual(banRules(BANS, family, mode).map((r) => r.args));
  });

  it('jumps from the same hooks with the same rule', () => {
    expect([...BAN_HOOKS]).toEqual([...COMPILER_HOOKS]);
    for (const hook of BAN_HOOKS) expect(banJumpArgs()).toEqual(banJump(hook).args);
  });

  it('sorts rules-mode bans by CIDR text and names each in its comment', () => {
    expect(banRestoreLines(BANS, 4, 'rules')).toEqual([
      `:${BAN_CHAIN} - [0:0]`,
      '-A INPUT -m comment --comment fleet:bans:jump -j FLEET-BANS',
      '-A FORWARD -m comment --comment fleet:bans:jump -j FLEET-BANS',
      '-A FLEET-BANS -s 192.0.2.10/32 -m comment --comment fleet:bans:192.0.2.10/32 -j DROP',
      '-A FLEET-BANS -s 198.51.100.0/24 -m comment --comment fleet:bans:198.51.100.0/24 -j DROP',
      '-A FLEET-BANS -s 203.0.113.7/32 -m comment --comment fleet:bans:203.0.113.7/32 -j DROP',
    ]);
  });

  it('renders ipset restore input for one family', () => {
    expect(ipsetRestoreText(BANS, 6)).toBe(
      'create fleet-bans6 hash:net family inet6 maxelem 1048576\nadd fleet-bans6 2001:db8::7/128\n',
    );
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
    'apply_ms=12',
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
      applyMs: 12,
      loadMs: 3,
      hostMs: 40,
    });
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
