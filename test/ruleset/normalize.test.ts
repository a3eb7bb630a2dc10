/**
 * What the kernel prints back for what we write: each row was found by loading the left side
 * into a namespace and reading it back with iptables-save v1.8.9 (nft and legacy agree).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeArgs, ruleKey } from '../../src/ruleset/index.js';
import { printRate, ratePeriod } from '../../src/ruleset/normalize/rate.js';
import { tokenize } from '../../src/ruleset/tokens.js';

const SAME: Array<[written: string, printed: string, family?: 4 | 6]> = [
  ['-s 10.0.0.1 -p tcp --dport 22 -j ACCEPT', '-s 10.0.0.1/32 -p tcp -m tcp --dport 22 -j ACCEPT'],
  ['-s 10.0.0.1/255.255.255.0 -j ACCEPT', '-s 10.0.0.0/24 -j ACCEPT'],
  ['-s 2001:DB8::1 -j ACCEPT', '-s 2001:db8::1/128 -j ACCEPT', 6],
  ['-p 6 -j ACCEPT', '-p tcp -j ACCEPT'],
  ['-p all -j ACCEPT', '-j ACCEPT'],
  ['-p tcp --dport ssh -j ACCEPT', '-p tcp -m tcp --dport 22 -j ACCEPT'],
  ['-p tcp --dport 5:5 -j ACCEPT', '-p tcp -m tcp --dport 5 -j ACCEPT'],
  ['-p tcp --dport 0:65535 -j ACCEPT', '-p tcp -m tcp -j ACCEPT'],
  ['-p tcp --syn -j ACCEPT', '-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT'],
  [
    '-p tcp --tcp-flags SYN,RST,ACK,FIN SYN -j ACCEPT',
    '-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT',
  ],
  [
    '-m state --state NEW -p tcp --dport 23 -j ACCEPT',
    '-p tcp -m state --state NEW -m tcp --dport 23 -j ACCEPT',
  ],
  ['-m state --state ESTABLISHED,RELATED -j ACCEPT', '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
  ['-p icmp --icmp-type echo-request -j ACCEPT', '-p icmp -m icmp --icmp-type 8 -j ACCEPT'],
  [
    '-p icmpv6 --icmpv6-type neighbour-solicitation -j ACCEPT',
    '-p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT',
    6,
  ],
  ['-m limit --limit 5/minute --limit-burst 5 -j ACCEPT', '-m limit --limit 5/min -j ACCEPT'],
  ['-m limit --limit 60/minute -j ACCEPT', '-m limit --limit 1/sec -j ACCEPT'],
  ['-m limit --limit 120/min -j ACCEPT', '-m limit --limit 2/sec -j ACCEPT'],
  ['-m recent --name x --set', '-m recent --set --name x --mask 255.255.255.255 --rsource'],
  [
    '-m limit --limit 5/min -j LOG --log-prefix "a b" --log-level warning',
    '-m limit --limit 5/min -j LOG --log-prefix "a b"',
  ],
  ['-j REJECT', '-j REJECT --reject-with icmp-port-unreachable'],
  ['-p tcp -j REJECT --reject-with tcp-rst', '-p tcp -j REJECT --reject-with tcp-reset'],
  ['-j ACCEPT -m comment --comment x', '-m comment --comment x -j ACCEPT'],
  [
    '-i eth0 -p udp -d 1.2.3.4 -s 5.6.7.8 -o eth1 -f -j ACCEPT',
    '-s 5.6.7.8/32 -d 1.2.3.4/32 -i eth0 -o eth1 -p udp -f -j ACCEPT',
  ],
  ['-s ! 10.0.0.0/8 -j DROP', '! -s 10.0.0.0/8 -j DROP'],
  ['-p tcp -j REDIRECT --to-port 80', '-p tcp -j REDIRECT --to-ports 80'],
];

const DIFFERENT: Array<[string, string]> = [
  ['-s 10.0.0.1 -j ACCEPT', '-s 10.0.0.2 -j ACCEPT'],
  ['-p tcp --dport 22 -j ACCEPT', '-p tcp ! --dport 22 -j ACCEPT'],
  ['-m limit --limit 5/min -j ACCEPT', '-m limit --limit 6/min -j ACCEPT'],
  [
    '-p tcp -m tcp --dport 22 -m comment --comment a -j ACCEPT',
    '-m comment --comment a -p tcp -m tcp --dport 22 -j DROP',
  ],
  ['-m comment --comment a -m recent --set', '-m recent --set -m comment --comment a'],
];

/**
 * Rules written one by one into a namespace and read back with iptables-save 1.8.9 (nft and
 * legacy; `backends` says which printed it so): every target and match a raw rule can use.
 */
interface Printback {
  family: 4 | 6;
  table: string;
  written: string;
  printed: string[];
  backends: string[];
}
const PRINTBACK: Printback[] = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', 'fixtures', 'normalize', 'printback-iptables-1.8.9.json'),
    'utf8',
  ),
);

describe('normalize: what iptables 1.8.9 printed back', () => {
  it('has the recorded rows', () => {
    expect(PRINTBACK.length).toBeGreaterThan(250);
  });
  for (const row of PRINTBACK) {
    it(`${row.table} v${row.family}: ${row.written}`, () => {
      const printed = row.printed.map((l) => ruleKey(tokenize(l), row.family)).join('\u0002');
      expect(ruleKey(tokenize(row.written), row.family)).toBe(printed);
    });
  }
  it('keeps what differs apart: marks, masks, TOS, DSCP, NAT ports, hashlimit rates', () => {
    const apart: Array<[string, string, (4 | 6)?]> = [
      ['-j MARK --set-mark 0x10', '-j MARK --set-xmark 0x10/0xff'],
      ['-j MARK --or-mark 0x4', '-j MARK --xor-mark 0x4'],
      ['-j CONNMARK --save-mark', '-j CONNMARK --restore-mark'],
      ['-j TOS --set-tos 0x10', '-j TOS --set-tos Minimize-Delay'],
      ['-j DSCP --set-dscp-class AF11', '-j DSCP --set-dscp-class AF12'],
      ['-p tcp -j DNAT --to-destination 10.0.0.1:80', '-p tcp -j DNAT --to-destination 10.0.0.1:81'],
      [
        '-m hashlimit --hashlimit-upto 5/min --hashlimit-name a',
        '-m hashlimit --hashlimit-above 5/min --hashlimit-name a',
      ],
      [
        '-m hashlimit --hashlimit-upto 120/min --hashlimit-name a',
        '-m hashlimit --hashlimit-upto 2/sec --hashlimit-name a',
      ],
      ['-m connlimit --connlimit-above 5', '-m connlimit --connlimit-above 5 --connlimit-daddr'],
      ['-m conntrack --ctorigsrc 10.0.0.1/24', '-m conntrack --ctorigsrc 10.0.0.0/24'],
      ['-m owner --uid-owner nobody', '-m owner --uid-owner 65534'], // names are the host's: not guessed
    ];
    for (const [a, b, family = 4] of apart)
      expect(ruleKey(tokenize(a), family), a).not.toBe(ruleKey(tokenize(b), family));
  });
});

describe('normalize', () => {
  for (const [written, printed, family = 4] of SAME) {
    it(`${written}  ≡  ${printed}`, () => {
      expect(ruleKey(tokenize(written), family)).toBe(ruleKey(tokenize(printed), family));
    });
  }
  for (const [a, b] of DIFFERENT) {
    it(`${a}  ≢  ${b}`, () => {
      expect(ruleKey(tokenize(a), 4)).not.toBe(ruleKey(tokenize(b), 4));
    });
  }
  it('expands address lists into one rule per address, as iptables does', () => {
    expect(normalizeArgs(tokenize('-s 10.0.0.1,10.0.0.2 -d 10.1.0.0/16 -j DROP'), 4)).toEqual([
      ['-s', '10.0.0.1/32', '-d', '10.1.0.0/16', '-j', 'DROP'],
      ['-s', '10.0.0.2/32', '-d', '10.1.0.0/16', '-j', 'DROP'],
    ]);
  });
  it('is idempotent', () => {
    for (const [written, , family = 4] of SAME) {
      const once = normalizeArgs(tokenize(written), family)[0]!;
      expect(normalizeArgs(once, family)[0]).toEqual(once);
    }
  });
  it('prints limit rates like xt_limit', () => {
    expect(printRate(ratePeriod('7/minute')!)).toBe('7/min');
    expect(printRate(ratePeriod('3/hour')!)).toBe('3/hour');
    expect(printRate(ratePeriod('5/s')!)).toBe('5/sec');
    expect(printRate(ratePeriod('1/day')!)).toBe('1/day');
    expect(ratePeriod('0/sec')).toBeUndefined();
    expect(ratePeriod('5/fortnight')).toBeUndefined();
  });
});
