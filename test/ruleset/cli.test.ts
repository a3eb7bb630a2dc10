/** `fleet compile` and `fleet validate`, run as the built CLI under plain node. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFleet, loopbackRepo } from '../support/built-cli.js';

const fleet = builtFleet;
const repo = (hosts: string) => loopbackRepo('rs-cli', hosts);

describe('fleet compile / validate', () => {
  let good: string;
  let bad: string;
  beforeAll(() => {
    good = repo(
      '  web-01: { address: 203.0.113.11, groups: [web-servers] }\n  db-01: { address: 203.0.113.21, groups: [db-servers] }\n',
    );
    bad = repo(
      '  web-01: { address: 203.0.113.11, groups: [web-servers] }\n  db-09: { address: 203.0.113.29, port: 2222, groups: [db-servers] }\n',
    );
  });
  afterAll(() => {
    for (const d of [good, bad]) rmSync(d, { recursive: true, force: true });
  });

  it('compile prints the IPv4 ruleset, --v6 the IPv6 one', () => {
    const v4 = fleet(good, 'compile', 'web-01');
    expect(v4.code).toBe(0);
    expect(v4.stdout).toMatch(/^# fleet: profile web-servers, host web-01\n\*raw\n/);
    expect(v4.stdout).toContain('-A FLEET-SSH -s 192.0.2.10/32');
    const v6 = fleet(good, 'compile', 'db-01', '--v6');
    expect(v6.stdout).toContain('--icmpv6-type 135');
    expect(v6.stdout).toContain('-s 2001:db8:a::/64 -p tcp -m tcp --dport 5432');
  });

  it('compile names an unknown host, with a suggestion (exit 2)', () => {
    const r = fleet(good, 'compile', 'web-1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown host "web-1" (did you mean "web-01"?)');
  });

  it('compile refuses a lockout, and --force overrides', () => {
    const r = fleet(bad, 'compile', 'db-09');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'lockout guard: host db-09 (profile db-servers) would not let SSH (tcp/2222) in',
    );
    expect(fleet(bad, 'compile', 'db-09', '--force').code).toBe(0);
  });

  it('validate says ok for a good repository, lists every problem for a bad one', () => {
    const ok = fleet(good, 'validate');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ok: 2 hosts compile');
    const r = fleet(bad, 'validate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/profiles\/db-servers\.yaml: lockout guard: host db-09/);
    expect(r.stderr).not.toContain('web-01');
  });
});
