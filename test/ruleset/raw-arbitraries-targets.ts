/** Generators of raw rules, one per target (see raw-arbitraries.ts). */
import fc from 'fast-check';
import {
  type Args,
  addr,
  anyNum,
  cat,
  connmarkSaveRestore,
  dscpClass,
  filter,
  type Kind,
  mangle,
  markOps,
  name,
  num,
  opt,
  pick,
  port,
  syn,
  tcpish,
  tosValue,
} from './raw-arbitraries-common.js';

export const TARGETS: Kind[] = [
  mangle(() => cat(pick(['-j', 'MARK']), markOps)),
  mangle(() => cat(pick(['-j', 'CONNMARK']), fc.oneof(markOps, connmarkSaveRestore))),
  mangle(() =>
    cat(
      pick(['-j', 'TOS']),
      fc.oneof(
        tosValue.map((v) => ['--set-tos', v]),
        anyNum(0, 255).chain((v) => pick(['--and-tos', v], ['--or-tos', v], ['--xor-tos', v])),
      ),
    ),
  ),
  mangle(() =>
    cat(
      pick(['-j', 'DSCP']),
      fc.oneof(
        anyNum(0, 63).map((v) => ['--set-dscp', v]),
        dscpClass.map((c) => ['--set-dscp-class', c]),
      ),
    ),
  ),
  mangle(
    () =>
      cat(
        pick(['-p', 'tcp']),
        syn,
        pick(['-j', 'TCPMSS']),
        fc.oneof(
          fc.constant<Args>(['--clamp-mss-to-pmtu']),
          num(536, 1460).map((n) => ['--set-mss', `${n}`]),
        ),
      ),
    ['FORWARD', 'POSTROUTING'],
  ),
  {
    table: 'raw',
    chains: ['PREROUTING', 'OUTPUT'],
    args: () =>
      pick(
        ['-j', 'CT', '--notrack'],
        ['-j', 'NOTRACK'],
        ['-p', 'tcp', '--dport', '21', '-j', 'CT', '--helper', 'ftp'],
      ),
  },
  {
    table: 'raw',
    chains: ['PREROUTING', 'OUTPUT'],
    args: () => num(0, 65535).map((z) => ['-j', 'CT', '--zone', `${z}`]),
  },
  {
    table: 'nat',
    chains: ['PREROUTING', 'OUTPUT'],
    args: () =>
      cat(
        tcpish.map((p) => ['-p', p, '--dport', '80']),
        pick(['-j', 'REDIRECT']),
        fc
          .tuple(port, port, pick('--to-ports', '--to-port'))
          .map(([a, b, o]) => [o, a === b ? `${a}` : `${Math.min(a, b)}-${Math.max(a, b)}`]),
        opt(pick(['--random'])),
      ),
  },
  {
    table: 'nat',
    chains: ['PREROUTING', 'OUTPUT'],
    args: (f) =>
      cat(
        tcpish.map((p) => ['-p', p, '--dport', '443']),
        pick(['-j', 'DNAT']),
        fc
          .tuple(addr(f), fc.option(fc.tuple(port, port)), pick('--to-destination', '--to'))
          .map(([a, ports, o]) => {
            const ps =
              ports &&
              (ports[0] === ports[1] ? `${ports[0]}` : `${Math.min(...ports)}-${Math.max(...ports)}`);
            const host = f === 6 && ps ? `[${a}]` : a;
            return [o, ps ? `${host}:${ps}` : host];
          }),
      ),
  },
  {
    table: 'nat',
    chains: ['POSTROUTING'],
    args: (f) =>
      cat(
        pick(['-o', 'eth0'], ['-o', 'wg+'], ['-p', 'udp']),
        fc.oneof(
          cat(
            pick(['-j', 'SNAT']),
            addr(f).chain((a) => pick(['--to-source', a], ['--to', a])),
            opt(pick(['--random-fully'], ['--persistent'])),
          ),
          cat(pick(['-j', 'MASQUERADE']), opt(pick(['--random'], ['--random-fully']))),
        ),
      ),
  },
  {
    table: 'nat',
    chains: ['POSTROUTING'],
    args: () =>
      cat(
        pick(['-p', 'tcp'], ['-p', 'udp']),
        pick(['-j', 'MASQUERADE']),
        fc
          .tuple(port, port)
          .map(([a, b]) => ['--to-ports', a === b ? `${a}` : `${Math.min(a, b)}-${Math.max(a, b)}`]),
      ),
  },
  filter(() =>
    cat(
      pick(['-j', 'LOG']),
      opt(name.map((n) => ['--log-prefix', `${n}:`])),
      opt(
        pick('emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', '4', '6').map((l) => [
          '--log-level',
          l,
        ]),
      ),
      opt(pick(['--log-tcp-sequence'], ['--log-tcp-options'], ['--log-ip-options'], ['--log-uid'])),
    ),
  ),
  filter((f) =>
    fc.oneof(
      pick(['-j', 'REJECT']),
      pick(['-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset']),
      (f === 4
        ? pick(
            'icmp-net-unreachable',
            'net-unreach',
            'host-unreach',
            'icmp-port-unreachable',
            'port-unreach',
            'icmp-proto-unreachable',
            'net-prohib',
            'icmp-host-prohibited',
            'admin-prohib',
            'icmp-admin-prohibited',
          )
        : pick(
            'icmp6-no-route',
            'no-route',
            'icmp6-adm-prohibited',
            'adm-prohibited',
            'addr-unreach',
            'icmp6-port-unreachable',
            'port-unreach',
            'policy-fail',
            'reject-route',
          )
      ).map((r) => ['-j', 'REJECT', '--reject-with', r]),
    ),
  ),
  filter(() =>
    cat(
      pick(['-j', 'NFLOG']),
      opt(num(0, 65535).map((g) => ['--nflog-group', `${g}`])),
      opt(name.map((n) => ['--nflog-prefix', n])),
    ),
  ),
  filter(() =>
    cat(
      pick(['-j', 'NFQUEUE']),
      opt(num(0, 65535).map((q) => ['--queue-num', `${q}`])),
      pick(['--queue-bypass']),
    ),
  ),
];
