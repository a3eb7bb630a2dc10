/** The management path each host sees (src/inventory/management-path.ts), and what compile makes of it. */
import { describe, expect, it } from 'vitest';
import { compileHost } from '../../src/cli/compile-hosts.js';
import { InputError } from '../../src/errors.js';
import { loadFleet } from '../../src/inventory/index.js';
import { lastHop, managementPath } from '../../src/inventory/management-path.js';
import { problemsOf, shippedProfiles, writeRepo } from './support.js';

const INVENTORY = `settings:
  management_sources: [198.51.100.10/32]
groups:
  web-servers: { profile: web-servers }
  behind-nat: { vars: { management_sources: [203.0.113.99] } }
hosts:
  bastion-1: { address: 203.0.113.10, profile: bastion, vars: { inner_addresses: [10.0.0.1, "fd00::1"] } }
  web-01: { address: 10.0.0.11, groups: [web-servers], proxy_jump: bastion-1 }
  web-02: { address: 192.0.2.12, groups: [web-servers] }
  web-03: { address: 10.0.0.13, groups: [web-servers, behind-nat], proxy_jump: "ops@[2001:db8::5]:2222" }
  web-04: { address: 10.0.0.14, groups: [web-servers], proxy_jump: jump.example.net }
`;

const fleet = () => loadFleet(writeRepo({ 'inventory/hosts.yaml': INVENTORY, ...shippedProfiles() }));
const host = (name: string) => fleet().hosts.find((h) => h.name === name)!;
const cidrs = (s: { cidr: string }[]) => s.map((x) => x.cidr);

describe('the management path a host sees', () => {
  it('direct: the settings', () => {
    const p = managementPath(fleet(), host('web-02'));
    expect(cidrs(p.sources)).toEqual(['198.51.100.10/32']);
    expect(cidrs(p.set)).toEqual(['198.51.100.10/32']);
  });

  it("behind an inventory bastion: its address and inner addresses, not the workstation's", () => {
    const p = managementPath(fleet(), host('web-01'));
    expect(cidrs(p.sources)).toEqual(['203.0.113.10/32', '10.0.0.1/32', 'fd00::1/128']);
    expect(cidrs(p.set)).toEqual(['198.51.100.10/32', '203.0.113.10/32', '10.0.0.1/32', 'fd00::1/128']);
  });

  it("behind a jump outside the inventory: the hop's address, plus the group's management_sources", () => {
    const p = managementPath(fleet(), host('web-03'));
    expect(cidrs(p.sources)).toEqual(['2001:db8::5/128', '203.0.113.99/32']);
  });

  it('a jump host known only by name is an input error that says what to set', () => {
    expect(() => managementPath(fleet(), host('web-04'))).toThrow(InputError);
    expect(() => managementPath(fleet(), host('web-04'))).toThrow(
      /hosts\.yaml:\d+:\d+ host "web-04" is reached through proxy_jump "jump\.example\.net".*/,
    );
  });

  it.each([
    ['bastion', 'bastion'],
    ['a,b', 'b'],
    ['ops@b:2222', 'b'],
    ['ops@[2001:db8::5]:22', '2001:db8::5'],
    ['x,ops@10.0.0.1', '10.0.0.1'],
  ])('last hop of %s is %s', (jump, hop) => {
    expect(lastHop(jump)).toBe(hop);
  });

  it('vars.management_sources and vars.inner_addresses are checked with line:column', () => {
    const bad =
      'hosts:\n  a:\n    address: 192.0.2.1\n    vars: { management_sources: [10.0.0.5/24], inner_addresses: nope }\n';
    const msgs = problemsOf({ 'inventory/a.yaml': bad });
    expect(msgs[0]).toMatch(/^\.\/inventory\/a\.yaml:4:34 .*"10\.0\.0\.5\/24" has host bits set/);
    expect(msgs[1]).toMatch(/^\.\/inventory\/a\.yaml:4:\d+ .*"nope" is not a valid address/);
  });
});

describe('compiled for a host behind a bastion', () => {
  const rules = (name: string) => {
    const f = fleet();
    return compileHost(f, f.hosts.find((h) => h.name === name)!, [], {}).v4.split('\n');
  };

  it('the inner address is a management source: accepted before the rate limit', () => {
    const lines = rules('web-01');
    const exempt = lines.findIndex((l) => /-s 10\.0\.0\.1\/32 .*ssh\.management.* -j ACCEPT/.test(l));
    const limit = lines.findIndex((l) => l.includes('recent --update'));
    expect(exempt).toBeGreaterThan(-1);
    expect(exempt).toBeLessThan(limit);
    expect(lines.some((l) => l.includes('-s 10.0.0.1/32') && l.includes('ssh@ssh-clients'))).toBe(true);
  });

  it('a direct host compiles as before: no bastion address in its rules', () => {
    expect(rules('web-02').some((l) => l.includes('10.0.0.1/32'))).toBe(false);
  });

  it('the lockout guard simulates from the inner address: a profile that only allows the workstation is refused', () => {
    const f = loadFleet(
      writeRepo({
        'inventory/hosts.yaml': INVENTORY,
        ...shippedProfiles(),
        'profiles/web-servers.yaml': 'extends: base\nssh: { sources: [198.51.100.10/32] }\n',
      }),
    );
    const web01 = f.hosts.find((h) => h.name === 'web-01')!;
    expect(() => compileHost(f, web01, [], {})).toThrow(/from management source 10\.0\.0\.1\/32/);
    const web02 = f.hosts.find((h) => h.name === 'web-02')!;
    expect(() => compileHost(f, web02, [], {})).not.toThrow();
  });
});
