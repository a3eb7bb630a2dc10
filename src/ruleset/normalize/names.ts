/** Names iptables resolves to numbers (or numbers it prints as names), as iptables 1.8 prints them. */

/**
 * `-p` values as iptables-save prints them: the name /etc/protocols (netbase) gives the number,
 * lower case; aliases and numbers map to that name, so `4`, `ipv4` and `ipencap` are one protocol.
 * 0 is "all" (which iptables-save leaves out).
 */
const PROTOCOLS: Array<[number, string, ...string[]]> = [
  [0, 'all', 'ip', 'hopopt'],
  [1, 'icmp'],
  [2, 'igmp'],
  [4, 'ipencap', 'ipv4', 'ip-encap'],
  [6, 'tcp'],
  [8, 'egp'],
  [12, 'pup'],
  [17, 'udp'],
  [22, 'idp'],
  [29, 'iso-tp4'],
  [33, 'dccp'],
  [41, 'ipv6'],
  [43, 'ipv6-route'],
  [44, 'ipv6-frag'],
  [46, 'rsvp'],
  [47, 'gre'],
  [50, 'esp', 'ipv6-crypt'],
  [51, 'ah', 'ipv6-auth'],
  [58, 'ipv6-icmp', 'icmpv6', 'icmp6'],
  [59, 'ipv6-nonxt'],
  [60, 'ipv6-opts'],
  [73, 'rspf'],
  [81, 'vmtp'],
  [88, 'eigrp'],
  [89, 'ospf'],
  [93, 'ax.25'],
  [94, 'ipip'],
  [97, 'etherip'],
  [98, 'encap'],
  [103, 'pim'],
  [108, 'ipcomp'],
  [112, 'vrrp'],
  [115, 'l2tp'],
  [124, 'isis'],
  [132, 'sctp'],
  [133, 'fc'],
  [135, 'mobility-header'],
  [136, 'udplite'],
  [137, 'mpls-in-ip'],
  [143, 'ethernet'],
];

export const PROTO_NAMES: Record<string, string> = Object.fromEntries(
  PROTOCOLS.flatMap(([n, name, ...aliases]) => [String(n), name, ...aliases].map((k) => [k, name])),
);

/** Protocol names → numbers (conntrack's `--ctproto` prints numbers). */
export const PROTO_NUMBERS: Record<string, string> = Object.fromEntries(
  PROTOCOLS.flatMap(([n, name, ...aliases]) => [name, ...aliases].map((k) => [k, String(n)])),
);

export function protoName(p: string): string {
  const lower = p.toLowerCase();
  return PROTO_NAMES[/^\d+$/.test(lower) ? String(Number(lower)) : lower] ?? lower;
}

/** ICMP type names → `type` or `type/code`, as iptables-save prints them. */
export const ICMP4: Record<string, string> = {
  'echo-reply': '0',
  pong: '0',
  'destination-unreachable': '3',
  'network-unreachable': '3/0',
  'host-unreachable': '3/1',
  'protocol-unreachable': '3/2',
  'port-unreachable': '3/3',
  'fragmentation-needed': '3/4',
  'source-route-failed': '3/5',
  'network-unknown': '3/6',
  'host-unknown': '3/7',
  'network-prohibited': '3/9',
  'host-prohibited': '3/10',
  'TOS-network-unreachable': '3/11',
  'TOS-host-unreachable': '3/12',
  'communication-prohibited': '3/13',
  'host-precedence-violation': '3/14',
  'precedence-cutoff': '3/15',
  'source-quench': '4',
  redirect: '5',
  'network-redirect': '5/0',
  'host-redirect': '5/1',
  'TOS-network-redirect': '5/2',
  'TOS-host-redirect': '5/3',
  'echo-request': '8',
  ping: '8',
  'router-advertisement': '9',
  'router-solicitation': '10',
  'time-exceeded': '11',
  'ttl-exceeded': '11',
  'ttl-zero-during-transit': '11/0',
  'ttl-zero-during-reassembly': '11/1',
  'parameter-problem': '12',
  'ip-header-bad': '12/0',
  'required-option-missing': '12/1',
  'timestamp-request': '13',
  'timestamp-reply': '14',
  'address-mask-request': '17',
  'address-mask-reply': '18',
};

export const ICMP6: Record<string, string> = {
  'destination-unreachable': '1',
  'no-route': '1/0',
  'communication-prohibited': '1/1',
  'beyond-scope': '1/2',
  'address-unreachable': '1/3',
  'port-unreachable': '1/4',
  'failed-policy': '1/5',
  'reject-route': '1/6',
  'packet-too-big': '2',
  'time-exceeded': '3',
  'ttl-exceeded': '3',
  'ttl-zero-during-transit': '3/0',
  'ttl-zero-during-reassembly': '3/1',
  'parameter-problem': '4',
  'bad-header': '4/0',
  'unknown-header-type': '4/1',
  'unknown-option': '4/2',
  'echo-request': '128',
  ping: '128',
  'echo-reply': '129',
  pong: '129',
  'mld-listener-query': '130',
  'mld-listener-report': '131',
  'mld-listener-done': '132',
  'mld-listener-reduction': '132',
  'router-solicitation': '133',
  'router-advertisement': '134',
  'neighbour-solicitation': '135',
  'neighbor-solicitation': '135',
  'neighbour-advertisement': '136',
  'neighbor-advertisement': '136',
  redirect: '137',
};

/** Service names iptables resolves through /etc/services (the common ones). */
export const SERVICES: Record<string, string> = {
  ftp: '21',
  'ftp-data': '20',
  ssh: '22',
  telnet: '23',
  smtp: '25',
  domain: '53',
  bootps: '67',
  bootpc: '68',
  tftp: '69',
  http: '80',
  www: '80',
  pop3: '110',
  sunrpc: '111',
  ntp: '123',
  'netbios-ns': '137',
  'netbios-dgm': '138',
  'netbios-ssn': '139',
  imap2: '143',
  imap: '143',
  snmp: '161',
  ldap: '389',
  https: '443',
  'microsoft-ds': '445',
  isakmp: '500',
  submission: '587',
  ldaps: '636',
  imaps: '993',
  pop3s: '995',
  openvpn: '1194',
  mysql: '3306',
  postgresql: '5432',
  'ipsec-nat-t': '4500',
  x11: '6000',
};

export const LOG_LEVELS: Record<string, string> = {
  emerg: '0',
  panic: '0',
  alert: '1',
  crit: '2',
  err: '3',
  error: '3',
  warning: '4',
  warn: '4',
  notice: '5',
  info: '6',
  debug: '7',
};

/** TCP flags in the order iptables-save prints them. */
export const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

/** Connection states in the order iptables-save prints them. */
export const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
