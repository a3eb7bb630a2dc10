/** One test per class of profile error: each message names file:line:col and what to do. */
import { describe, expect, it } from 'vitest';
import { profileProblems } from './support.js';

const one = (text: string, file = 'x.yaml') => profileProblems({ [file]: text });

describe('profile errors name file, line and column', () => {
  it('malformed YAML', () => {
    expect(one('ssh:\n  port: [22\n')[0]).toMatch(/^\.\/profiles\/x\.yaml:3:1 malformed YAML: /);
  });

  it('unknown key, with did you mean', () => {
    expect(one('servics:\n  http: { port: 80 }\n')).toEqual([
      './profiles/x.yaml:1:1 servics: unknown key "servics" (did you mean "services"?); allowed: description, extends, policies, ssh, services, icmp, log, preserve, takeover, raw',
    ]);
    expect(one('ssh:\n  rate_limit: { hits: 3, secs: 60 }\n')[1]).toMatch(
      /^\.\/profiles\/x\.yaml:2:26 ssh\.rate_limit\.secs: unknown key "secs" in ssh\.rate_limit \(did you mean "seconds"\?\)/,
    );
  });

  it('bad address or CIDR in sources', () => {
    expect(one('ssh:\n  sources:\n    - 192.0.2.0/33\n    - 10.1.2.3/8\n')).toEqual([
      './profiles/x.yaml:3:7 ssh.sources[0]: "192.0.2.0/33" is not a valid address or CIDR (prefix length must be 0 to 32); write e.g. 192.0.2.0/24 or 2001:db8::/32',
      './profiles/x.yaml:4:7 ssh.sources[1]: "10.1.2.3/8" has host bits set: write 10.0.0.0/8 for the network or 10.1.2.3/32 for the one address',
    ]);
  });

  it('ports out of range and bad ranges', () => {
    const msgs = one(
      'ssh: { port: 0 }\nservices:\n  a: { port: 65536 }\n  b: { port: "8100-8000" }\n  c: { proto: sctp, port: 1 }\n',
    );
    expect(msgs).toEqual([
      './profiles/x.yaml:1:14 ssh.port: port must be a whole number from 1 to 65535, got 0',
      './profiles/x.yaml:3:14 services.a.port: port "65536" is not valid: use a port from 1 to 65535 or a range "FROM-TO" with FROM <= TO',
      './profiles/x.yaml:4:14 services.b.port: port "8100-8000" is not valid: use a port from 1 to 65535 or a range "FROM-TO" with FROM <= TO',
      './profiles/x.yaml:5:15 services.c.proto: proto must be tcp or udp (or a list of both), got "sctp"',
    ]);
  });

  it('unknown profile in extends, with did you mean', () => {
    const msgs = profileProblems({ 'base.yaml': '{}\n', 'web.yaml': 'extends: [bsae]\n' });
    expect(msgs).toEqual([
      './profiles/web.yaml:1:11 extends[0]: unknown profile "bsae" (did you mean "base"?); profiles are the files in profiles/',
    ]);
  });

  it('unknown address set, with did you mean', () => {
    const msgs = profileProblems({
      'sets.yaml': 'sets:\n  admins: [192.0.2.1]\n',
      'x.yaml': 'ssh: { sources: [admin] }\n',
    });
    expect(msgs[0]).toMatch(
      /^\.\/profiles\/x\.yaml:1:18 ssh\.sources\[0\]: unknown address set "admin" \(did you mean "admins"\?\)/,
    );
  });

  it('extends cycle, naming the cycle once', () => {
    const msgs = profileProblems({
      'a.yaml': 'extends: c\n',
      'b.yaml': 'extends: a\n',
      'c.yaml': 'extends: b\n',
    });
    expect(msgs).toEqual([
      './profiles/b.yaml:1:10 extends: profiles extend each other in a cycle: a -> c -> b -> a; remove one of these extends',
    ]);
    expect(one('extends: x\n')[0]).toMatch(
      /x\.yaml:1:10 extends: profiles extend each other in a cycle: x -> x/,
    );
  });

  it('names with shell metacharacters (service, set, profile file)', () => {
    expect(one('services:\n  "h;id": { port: 1 }\n')[0]).toMatch(
      /^\.\/profiles\/x\.yaml:2:3 services\.h;id: service name "h;id" is not allowed/,
    );
    expect(profileProblems({ 'sets.yaml': 'sets:\n  "a b": []\n' })[0]).toMatch(
      /^\.\/profiles\/sets\.yaml:2:3 .*set name "a b" is not allowed/,
    );
    expect(profileProblems({ 'we$b.yaml': '{}\n' })[0]).toMatch(
      /^\.\/profiles\/we\$b\.yaml:1:1 profile \(file\) name "we\$b" is not allowed/,
    );
  });

  it('raw rules: table, chain, forbidden commands, shell metacharacters, family', () => {
    const msgs = one(`raw:
  - { table: filtre, chain: INPUT, args: "-j ACCEPT" }
  - { chain: "IN PUT", args: "-j ACCEPT" }
  - { chain: INPUT, args: "-A INPUT -j ACCEPT" }
  - { chain: INPUT, args: "-s 192.0.2.1;reboot -j ACCEPT" }
  - { chain: INPUT, args: ["-s", "$(id)", "-j", "ACCEPT"] }
  - { chain: INPUT, args: "-s 192.0.2.1 -j ACCEPT", family: 6 }
  - { chain: INPUT, args: "-s 192.0.2.1 -j ACCEPT" }
`);
    expect(msgs).toEqual([
      './profiles/x.yaml:2:14 raw[0].table: unknown table "filtre" (did you mean "filter"?); use one of filter, nat, mangle, raw',
      './profiles/x.yaml:3:14 raw[1].chain: chain "IN PUT" is not a valid chain name: letters, digits, _ . - (at most 28 characters)',
      './profiles/x.yaml:4:27 raw[2].args: "-A" is not allowed in raw args: fleet places the rule itself (write only matches and the target)',
      './profiles/x.yaml:5:27 raw[3].args: argument "192.0.2.1;reboot" has characters that are not allowed (quotes, spaces, shell metacharacters); use letters, digits and _ . : , / + = @ % - (and [v6]:port for NAT)',
      './profiles/x.yaml:6:27 raw[4].args: argument "$(id)" has characters that are not allowed (quotes, spaces, shell metacharacters); use letters, digits and _ . : , / + = @ % - (and [v6]:port for NAT)',
      "./profiles/x.yaml:7:27 raw[5].args: address 192.0.2.1 is IPv4 but the rule's family is 6; set family: 4",
      "./profiles/x.yaml:8:27 raw[6].args: address 192.0.2.1 is IPv4 but the rule's family is both; set family: 4",
    ]);
  });

  it('log prefix longer than 28 characters, bad rates, too many hits', () => {
    const msgs = one(`log: { prefix: "this prefix is far too long for LOG", limit: 5/fortnight }
icmp: { rate: fast }
ssh: { rate_limit: { hits: 50, seconds: 60 } }
`);
    expect(msgs).toEqual([
      './profiles/x.yaml:1:16 log.prefix: log prefix "this prefix is far too long for LOG" must be 1 to 28 characters of letters, digits, space and _ . : = / [ ] -',
      './profiles/x.yaml:1:62 log.limit: rate "5/fortnight" is not valid: write N/second, N/minute, N/hour or N/day (N from 1 to 10000)',
      './profiles/x.yaml:2:15 icmp.rate: rate "fast" is not valid: write N/second, N/minute, N/hour or N/day (N from 1 to 10000)',
      './profiles/x.yaml:3:28 ssh.rate_limit.hits: hits must be a whole number from 1 to 19, got 50',
    ]);
  });

  it('the management set without an inventory', () => {
    const msgs = profileProblems({ 'x.yaml': 'ssh: { sources: [management] }\n' }, 'none');
    expect(msgs).toEqual([
      './profiles/x.yaml:1:18 ssh.sources[0]: "management" is empty (no inventory was loaded); add management_sources under settings: in an inventory file',
    ]);
  });
});
