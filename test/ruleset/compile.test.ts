/** The compiler: layout, comments, determinism, refusals, bans, the lockout guard. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { Profile } from '../../src/model/profile.js';
import { type CompileInput, compile, findChain, findTable, type Ruleset } from '../../src/ruleset/index.js';
import { base, bastion, dbServers, HOST, MGMT, webServers } from './fixtures/profiles.js';

const input = (profile: Profile, extra: Partial<CompileInput> = {}): CompileInput => ({
  profile,
  host: HOST,
  managementSources: MGMT,
  ...extra,
});

function chain(rs: Ruleset, name: string, table = 'filter'): string[] {
  return (findChain(findTable(rs, table), name)?.rules ?? []).map((r) => r.args.join(' '));
}

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('compile', () => {
  it('is deterministic: same input, same bytes, whatever the order of services and sources', () => {
    const a = compile(input(dbServers));
    const shuffled = { ...dbServers, services: [...dbServers.services].reverse() };
    shuffled.services = shuffled.services.map((s) => ({ ...s, sources: [...s.sources].reverse() }));
    const b = compile(input(shuffled));
    expect(b.v4).toBe(a.v4);
    expect(b.v6).toBe(a.v6);
  });

  it('puts bans first in raw PREROUTING; loopback, ESTABLISHED,RELATED and INVALID first in INPUT', () => {
    const rs = compile(input(webServers)).rulesets.v4;
    expect(chain(rs, 'PREROUTING', 'raw')).toEqual(['-m comment --comment fleet:bans:jump -j FLEET-BANS']);
    expect(chain(rs, 'INPUT').map((r) => r.replace(/ ?-m comment --comment \S+/, '').trim())).toEqual([
      '-i lo -j ACCEPT',
      '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-m conntrack --ctstate INVALID -j DROP',
      '-j FLEET-INPUT',
    ]);
    expect(chain(rs, 'FLEET-INPUT').at(-1)).toMatch(/-j FLEET-LOG$/);
    expect(chain(rs, 'FLEET-LOG')).toEqual([
      '-m limit --limit 5/min --limit-burst 10 -m comment --comment fleet:web-servers:log -j LOG --log-prefix fleet-drop: ',
      '-m comment --comment fleet:web-servers:drop -j DROP',
    ]);
  });

  it('names the origin of every rule in its comment', () => {
    for (const out of [compile(input(webServers)), compile(input(bastion))]) {
      for (const rs of [out.rulesets.v4, out.rulesets.v6]) {
        for (const t of rs.tables)
          for (const c of t.chains)
            for (const r of c.rules)
              expect(r.comment).toMatch(/^fleet:(bastion|web-servers|bans):[\w.@:/-]+$/);
      }
    }
  });

  it('rate-limits SSH with recent, exempting management sources the profile allows', () => {
    const ssh = chain(compile(input(base)).rulesets.v4, 'FLEET-SSH');
    expect(ssh[0]).toMatch(/^-s 192\.0\.2\.10\/32 .*ssh\.management -j ACCEPT$/);
    expect(ssh[1]).toMatch(/^-m recent --set --name fleet-ssh /);
    expect(ssh[2]).toMatch(/^-m recent --update --seconds 60 --hitcount 7 --name fleet-ssh .* -j DROP$/);
  });

  it('keeps IPv6 working: neighbour discovery with hop limit 255, packet-too-big', () => {
    const v6 = chain(compile(input({ ...base, icmp: { ping: false } })).rulesets.v6, 'FLEET-INPUT').join(
      '\n',
    );
    for (const t of ['133', '134', '135', '136'])
      expect(v6).toContain(`--icmpv6-type ${t} -m hl --hl-eq 255`);
    expect(v6).toContain('--icmpv6-type 2 ');
    expect(v6).not.toContain('--icmpv6-type 128');
  });

  it('writes bans as rules, or as one ipset match', () => {
    const bans = [
      { cidr: '198.51.100.7', family: 4 as const },
      { cidr: '2001:db8:bad::/48', family: 6 as const },
      { cidr: '198.51.100.0/28', family: 4 as const },
    ];
    const rules = compile(input(base, { bans })).rulesets;
    expect(chain(rules.v4, 'FLEET-BANS')).toEqual([]);
    expect(chain(rules.v4, 'FLEET-BANS', 'raw')).toEqual([
      '-s 198.51.100.0/28 -m comment --comment fleet:bans:198.51.100.0/28 -j DROP',
      '-s 198.51.100.7/32 -m comment --comment fleet:bans:198.51.100.7/32 -j DROP',
    ]);
    expect(chain(rules.v6, 'FLEET-BANS', 'raw')).toHaveLength(1);
    const ipset = compile(input(base, { bans, banMode: 'ipset' })).rulesets.v6;
    expect(chain(ipset, 'FLEET-BANS', 'raw')).toEqual([
      '-m set --match-set fleet-bans6 src -m comment --comment fleet:bans:fleet-bans6 -j DROP',
    ]);
  });

  it('leaves nat alone unless raw rules use it (raw holds the bans); preserve makes the output --noflush', () => {
    const out = compile(input({ ...base, preserve: ['DOCKER*'] }));
    expect(out.rulesets.v4.tables.map((t) => t.name)).toEqual(['raw', 'filter']);
    expect(out.noflush).toBe(true);
    expect(out.v4).toContain('-F INPUT');
    expect(compile(input(base)).v4).not.toContain('-F INPUT');
  });

  it('refuses what the kernel would refuse, naming the field (exit 2)', () => {
    const e = refusal(() =>
      compile(input({ ...base, ssh: { ...base.ssh, rateLimit: { hits: 21, seconds: 60 } } })),
    );
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('profiles/base.yaml: ssh.rate_limit.hits: 21 is not 1..19');
    const log = refusal(() => compile(input({ ...base, log: { prefix: 'x'.repeat(30), limit: '5/min' } })));
    expect(log.message).toContain('log.prefix');
  });
});

describe('lockout guard', () => {
  const elsewhere = {
    ...base,
    ssh: { ...base.ssh, sources: [{ cidr: '198.51.100.0/24', family: 4 as const }] },
  };

  it('refuses a profile whose SSH sources leave the management sources out', () => {
    const e = refusal(() => compile(input(elsewhere)));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('management source 192.0.2.10/32');
    expect(e.message).toContain('profiles/base.yaml');
    expect(e.message).toMatch(/FLEET-LOG|policy/);
    expect(e.hint).toContain('--force');
  });

  it('lets --force through', () => {
    expect(compile(input(elsewhere, { force: true })).v4).toContain('198.51.100.0/24');
  });

  it('checks the host’s SSH port, not the profile’s', () => {
    expect(() => compile(input(base, { host: { ...HOST, port: 2222 } }))).toThrow(/tcp\/2222/);
  });

  it('sees a ban on a management source', () => {
    expect(() => compile(input(base, { bans: [{ cidr: '192.0.2.0/24', family: 4 }] }))).toThrow(/FLEET-BANS/);
  });

  it('sees a raw rule in another table dropping SSH', () => {
    const raw = [
      {
        table: 'raw' as const,
        chain: 'PREROUTING',
        args: ['-p', 'tcp', '--dport', '22', '-j', 'DROP'],
        family: 4 as const,
      },
    ];
    expect(() => compile(input({ ...base, raw }))).toThrow(/raw rule -A PREROUTING/);
  });

  it('sees replies dropped by an OUTPUT policy without ESTABLISHED (and passes when there is one)', () => {
    expect(() => compile(input(bastion))).not.toThrow();
    const raw = [
      { table: 'filter' as const, chain: 'OUTPUT', args: ['-j', 'DROP'], family: 'both' as const },
    ];
    const broken = { ...base, policies: { ...base.policies, output: 'DROP' as const }, raw };
    expect(() => compile(input(broken))).not.toThrow(); // ESTABLISHED comes before the raw DROP
  });

  it('checks IPv6 management sources against the IPv6 rules', () => {
    const v4only = { ...base, ssh: { ...base.ssh, sources: MGMT.filter((s) => s.family === 4) } };
    expect(() => compile(input(v4only))).toThrow(/2001:db8:ffff::10\/128/);
  });

  it('passes when nothing is declared to check against', () => {
    expect(() => compile(input(elsewhere, { managementSources: [] }))).not.toThrow();
  });
});
