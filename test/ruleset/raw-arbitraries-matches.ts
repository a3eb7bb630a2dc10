/** Generators of raw rules, one per match (see raw-arbitraries.ts). */
import fc from 'fast-check';
import {
  addr,
  anyNum,
  cat,
  dscpClass,
  type Fam,
  filter,
  type Kind,
  mangle,
  mark,
  name,
  num,
  opt,
  pick,
  portRange,
  rate,
  TEST_SETS,
  tcpish,
  tosValue,
} from './raw-arbitraries-common.js';

const hashlimit = (f: Fam) =>
  cat(
    pick(['-m', 'hashlimit']),
    fc
      .tuple(
        pick('--hashlimit-upto', '--hashlimit-above', '--hashlimit'),
        fc.oneof(
          rate,
          fc.tuple(num(1, 4000), pick('b', 'kb', 'mb')).map(([n, u]) => `${n}${u}/s`),
        ),
      )
      .map((g) => [...g]),
    name.map((n) => ['--hashlimit-name', n]),
    opt(pick('srcip', 'dstip', 'srcip,dstport', 'dstport,srcip,srcport').map((m) => ['--hashlimit-mode', m])),
    opt(num(0, f === 4 ? 32 : 128).map((m) => ['--hashlimit-srcmask', `${m}`])),
    opt(pick('1000', '30000', '60000').map((e) => ['--hashlimit-htable-expire', e])),
    opt(pick(['--hashlimit-htable-gcinterval', '1000'], ['--hashlimit-htable-size', '1024'])),
    pick(['-j', 'ACCEPT']),
  );
/** hashlimit's burst is a packet count for packet rates and a size for byte rates. */
const hashlimitWithBurst = (f: Fam) =>
  hashlimit(f).chain((a) =>
    a.some((x) => x.endsWith('b/s'))
      ? fc.constant(a)
      : opt(num(1, 10000).map((b) => ['--hashlimit-burst', `${b}`])).map((b) => [
          ...a.slice(0, -2),
          ...b,
          ...a.slice(-2),
        ]),
  );

export const MATCHES: Kind[] = [
  filter(hashlimitWithBurst),
  filter((f) =>
    cat(
      pick(['-p', 'tcp', '--syn', '--dport', '443'], ['-p', 'tcp']),
      pick(['-m', 'connlimit']),
      fc
        .tuple(pick('--connlimit-above', '--connlimit-upto'), num(1, 1000), fc.boolean())
        .map(([o, n, neg]) => (neg ? ['!', o, `${n}`] : [o, `${n}`])),
      opt(num(0, f === 4 ? 32 : 128).map((m) => ['--connlimit-mask', `${m}`])),
      opt(pick(['--connlimit-saddr'], ['--connlimit-daddr'])),
      pick(['-j', 'REJECT'], ['-j', 'DROP']),
    ),
  ),
  filter((f) =>
    cat(
      pick(['-m', 'set']),
      fc
        .tuple(fc.boolean(), pick('--match-set', '--set'), pick('src', 'dst', 'src,dst'))
        .map(([neg, o, dir]) => [...(neg ? ['!'] : []), o, TEST_SETS[f], dir]),
      opt(pick(['--return-nomatch'], ['!', '--update-counters'], ['--update-counters'])),
      pick(['-j', 'DROP']),
    ),
  ),
  filter(() =>
    cat(
      pick(['-m', 'limit']),
      opt(rate.map((r) => ['--limit', r])),
      opt(num(1, 10000).map((b) => ['--limit-burst', `${b}`])),
      pick(['-j', 'ACCEPT']),
    ),
  ),
  filter((f) =>
    cat(
      pick(['-m', 'recent']),
      pick(
        ['--set'],
        ['--rcheck', '--seconds', '60'],
        ['--update', '--seconds', '30', '--hitcount', '5'],
        ['--remove'],
      ),
      opt(name.map((n) => ['--name', n])),
      opt(pick(['--rsource'], ['--rdest'])),
      opt(pick(f === 4 ? '255.255.255.0' : 'ffff:ffff:ffff:ffff::').map((m) => ['--mask', m])),
    ),
  ),
  filter((f) =>
    cat(
      pick(['-m', 'conntrack'], ['-m', 'state']).chain((m) =>
        m[1] === 'state'
          ? fc
              .subarray(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID'], { minLength: 1 })
              .map((s) => [...m, '--state', s.join(',')])
          : cat(
              fc.constant(m),
              fc
                .subarray(['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'DNAT', 'SNAT'], {
                  minLength: 1,
                })
                .map((s) => ['--ctstate', s.join(',')]),
              opt(
                fc
                  .subarray(['CONFIRMED', 'ASSURED', 'SEEN_REPLY', 'EXPECTED'], { minLength: 1 })
                  .map((s) => ['--ctstatus', s.join(',')]),
              ),
              opt(pick('tcp', 'udp', '6', '17').map((p) => ['--ctproto', p])),
              opt(
                fc
                  .tuple(addr(f), fc.boolean())
                  .map(([a, full]) => ['--ctorigsrc', full ? `${a}/${f === 4 ? 32 : 128}` : a]),
              ),
              opt(portRange.map((p) => ['--ctorigdstport', p])),
            ),
      ),
      pick(['-j', 'ACCEPT']),
    ),
  ),
  filter(() =>
    cat(
      tcpish.map((p) => ['-p', p, '-m', 'multiport']),
      fc
        .tuple(
          pick('--dports', '--sports', '--ports', '--destination-ports'),
          fc.array(fc.oneof(portRange, pick('domain', '53')), { minLength: 1, maxLength: 5 }),
        )
        .map(([o, ps]) => [o, ps.join(',')]),
      pick(['-j', 'ACCEPT']),
    ),
  ),
  filter((f) =>
    cat(
      pick(['-m', 'iprange']),
      fc
        .tuple(pick('--src-range', '--dst-range'), addr(f), addr(f), fc.boolean())
        .map(([o, a, b, neg]) => [...(neg ? ['!'] : []), o, `${a}-${b}`]),
      pick(['-j', 'ACCEPT']),
    ),
  ),
  filter((f) =>
    cat(
      pick(['-m', 'addrtype']),
      fc
        .tuple(
          pick('--src-type', '--dst-type'),
          // IPv6 has no broadcast, and xt_addrtype refuses blackhole/prohibit/throw/nat there
          fc.subarray(
            f === 4
              ? ['LOCAL', 'unicast', 'BROADCAST', 'multicast', 'BLACKHOLE']
              : ['LOCAL', 'unicast', 'multicast'],
            {
              minLength: 1,
            },
          ),
        )
        .map(([o, t]) => [o, t.join(',')]),
      pick(['-j', 'RETURN']),
    ),
  ),
  filter(() =>
    cat(
      pick(['-m', 'comment']),
      name.map((c) => ['--comment', c]),
      pick(['-j', 'ACCEPT']),
    ),
  ),
  filter(
    () =>
      fc.tuple(num(0, 255), num(0, 255), pick('lower', 'upper', 'short')).map(([a, b, c]) => {
        const bytes = [0, 0x16, 0x3e, a, b, 1].map((x) =>
          c === 'short' ? x.toString(16) : x.toString(16).padStart(2, '0'),
        );
        const text = c === 'upper' ? bytes.join(':').toUpperCase() : bytes.join(':');
        return ['-m', 'mac', '--mac-source', text, '-j', 'ACCEPT'];
      }),
    ['INPUT', 'FORWARD'],
  ),
  filter(
    () =>
      cat(
        pick(['-m', 'owner']),
        pick(
          ['--uid-owner', 'root'],
          ['--uid-owner', '0'],
          ['--uid-owner', '1000-1000'],
          ['--uid-owner', '1000-2000'],
          ['--gid-owner', '100'],
          ['!', '--uid-owner', '33'],
        ),
        pick(['-j', 'ACCEPT']),
      ),
    ['OUTPUT'],
  ),
  filter(() =>
    cat(
      pick(['-p', 'tcp']),
      fc.oneof(
        pick(['--syn'], ['!', '--syn']),
        fc
          .tuple(
            fc.subarray(['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'], { minLength: 1 }),
            fc.subarray(['FIN', 'SYN', 'RST', 'ACK', 'URG', 'PSH']),
          )
          .map(([m, c]) => ['--tcp-flags', m.join(','), c.length ? c.join(',') : 'NONE']),
        pick(
          ['--tcp-flags', 'ALL', 'NONE'],
          ['--tcp-flags', 'ALL', 'ALL'],
          ['--tcp-flags', 'ALL', 'FIN,URG,PSH'],
        ),
      ),
      pick(['-j', 'DROP']),
    ),
  ),
  filter((f) =>
    f === 4
      ? pick(
          'echo-request',
          'ping',
          'echo-reply',
          'destination-unreachable',
          'fragmentation-needed',
          '3/4',
          'time-exceeded',
          'timestamp-request',
          '8',
          'any',
          'parameter-problem',
        ).map((t) => ['-p', 'icmp', '--icmp-type', t, '-j', 'ACCEPT'])
      : fc
          .tuple(
            pick('icmpv6', 'ipv6-icmp', '58'),
            pick(
              'echo-request',
              'neighbour-solicitation',
              'neighbor-advertisement',
              'router-advertisement',
              'packet-too-big',
              '1/4',
              '128',
              'time-exceeded',
            ),
          )
          .map(([p, t]) => ['-p', p, '--icmpv6-type', t, '-j', 'ACCEPT']),
  ),
  mangle(() =>
    cat(
      pick(['-m', 'mark'], ['-m', 'connmark']),
      fc.tuple(mark, fc.boolean()).map(([m, neg]) => (neg ? ['!', '--mark', m] : ['--mark', m])),
      pick(['-j', 'RETURN']),
    ),
  ),
  mangle(() =>
    cat(
      pick(['-m', 'tos']),
      tosValue.map((v) => ['--tos', v]),
      pick(['-j', 'RETURN']),
    ),
  ),
  mangle(() =>
    cat(
      pick(['-m', 'dscp']),
      fc.oneof(
        anyNum(0, 63).map((v) => ['--dscp', v]),
        dscpClass.map((c) => ['--dscp-class', c]),
      ),
      pick(['-j', 'RETURN']),
    ),
  ),
  filter(() =>
    cat(
      pick(['-m', 'length']),
      pick(
        ['--length', '100'],
        ['--length', ':1000'],
        ['--length', '1000:'],
        ['--length', '64:64'],
        ['--length', '40:1500'],
      ),
      pick(['-j', 'DROP']),
    ),
  ),
  filter(() =>
    cat(
      pick(['-m', 'pkttype']),
      pick('broadcast', 'BROADCAST', 'multicast', 'host', 'unicast').map((t) => ['--pkt-type', t]),
      pick(['-j', 'DROP']),
    ),
  ),
  filter(() =>
    cat(
      pick(['-m', 'time']),
      pick(
        ['--timestart', '8:00', '--timestop', '18:00'],
        ['--weekdays', 'Sat,Sun'],
        ['--weekdays', 'Fri,Mon', '--datestart', '2020-01-01'],
        ['--monthdays', '1,15'],
      ),
      pick(['-j', 'ACCEPT']),
    ),
  ),
  filter(() =>
    cat(
      pick(['-m', 'statistic', '--mode', 'random']),
      pick('0.5', '0.1', '0.333', '1', '0.01').map((p) => ['--probability', p]),
      pick(['-j', 'ACCEPT']),
    ),
  ),
  filter(() =>
    cat(
      pick(
        'tcp',
        'UDP',
        '6',
        '17',
        'gre',
        '47',
        'esp',
        '50',
        'ah',
        'sctp',
        '132',
        'vrrp',
        '112',
        'ospf',
        '89',
        'all',
        '0',
      ).map((p) => ['-p', p]),
      pick(['-j', 'ACCEPT']),
    ),
  ),
];
