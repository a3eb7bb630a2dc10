/** `extends` merge rules, as docs/profiles.md states them. */
import { describe, expect, it } from 'vitest';
import { profiles } from './support.js';

const A = `
policies: { forward: ACCEPT }
ssh: { port: 2222, sources: [192.0.2.0/24], rate_limit: { hits: 4, seconds: 60 } }
services:
  http: { port: 80 }
  metrics: { port: "9100-9102", proto: [tcp, udp], sources: [192.0.2.5] }
icmp: { ping: false }
log: { prefix: "a-drop: ", limit: 1/second }
preserve: [DOCKER*]
raw: [{ chain: INPUT, args: "-p tcp --dport 7000 -j ACCEPT" }]
`;

describe('extends', () => {
  it('fills defaults when nothing is said', () => {
    const p = profiles({ 'x.yaml': '{}\n' }).get('x')!;
    expect(p).toMatchObject({
      name: 'x',
      lineage: ['x'],
      policies: { input: 'DROP', forward: 'DROP', output: 'ACCEPT' },
      ssh: { port: 22, sources: [] },
      services: [],
      icmp: { ping: true },
      preserve: [],
      raw: [],
    });
    expect(p.log).toBeUndefined();
  });

  it('child fields override, lists replace, services merge by name, preserve unions, raw appends', () => {
    const b = `extends: a
ssh: { sources: [2001:db8::/32] }
services:
  http: { port: 8080 }
  metrics: ~
  https: { port: 443 }
log: { limit: 10/minute }
preserve: [f2b-*, DOCKER*]
raw: [{ chain: INPUT, args: [-p, udp, --dport, "7001", -j, ACCEPT], family: 6 }]
`;
    const p = profiles({ 'a.yaml': A, 'b.yaml': b }).get('b')!;
    expect(p.lineage).toEqual(['a', 'b']);
    expect(p.policies.forward).toBe('ACCEPT');
    expect(p.ssh).toEqual({
      port: 2222,
      sources: [{ cidr: '2001:db8::/32', family: 6 }],
      rateLimit: { hits: 4, seconds: 60 },
    });
    expect(p.services.map((s) => `${s.name}:${s.ports.from}`)).toEqual(['http:8080', 'https:443']);
    expect(p.icmp).toEqual({ ping: false });
    expect(p.log).toEqual({ prefix: 'a-drop: ', limit: '10/min' });
    expect(p.preserve).toEqual(['DOCKER*', 'f2b-*']);
    expect(p.raw.map((r) => r.args.join(' '))).toEqual([
      '-p tcp --dport 7000 -j ACCEPT',
      '-p udp --dport 7001 -j ACCEPT',
    ]);
  });

  it('null removes what a parent set', () => {
    const p = profiles({ 'a.yaml': A, 'b.yaml': 'extends: [a]\nlog: ~\nssh: { rate_limit: ~ }\n' }).get('b')!;
    expect(p.log).toBeUndefined();
    expect(p.ssh.rateLimit).toBeUndefined();
  });

  it('merges a list of parents left to right; a diamond appears once in the lineage', () => {
    const files = {
      'root.yaml': 'ssh: { port: 1 }\n',
      'l.yaml': 'extends: root\nssh: { port: 2 }\nicmp: { rate: 1/s }\n',
      'r.yaml': 'extends: root\nssh: { port: 3 }\n',
      'leaf.yaml': 'extends: [l, r]\n',
    };
    const p = profiles(files).get('leaf')!;
    expect(p.lineage).toEqual(['root', 'l', 'r', 'leaf']);
    expect(p.ssh.port).toBe(3);
    expect(p.icmp.rate).toBe('1/sec');
  });

  it('expands sets (nested too), dedupes sources and keeps the set name; marks management', () => {
    const sets = 'sets:\n  ops: [192.0.2.1, "2001:db8::1"]\n  all-ops: [ops, 192.0.2.1, management]\n';
    const p = profiles({ 'sets.yaml': sets, 'x.yaml': 'ssh: { sources: [all-ops, 198.51.100.0/24] }\n' }).get(
      'x',
    )!;
    expect(p.ssh.sources).toEqual([
      { cidr: '192.0.2.1/32', family: 4, set: 'all-ops' },
      { cidr: '2001:db8::1/128', family: 6, set: 'all-ops' },
      { cidr: '10.213.0.1/32', family: 4, set: 'all-ops', management: true },
      { cidr: 'fd42:f1ee::1/128', family: 6, set: 'all-ops', management: true },
      { cidr: '198.51.100.0/24', family: 4 },
    ]);
  });
});
