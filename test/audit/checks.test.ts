/**
 * The audit's checks, pure: a shipped profile compiled for a host is a freshly applied host and
 * must come out clean; each hand-made change an operator could make is named by its check.
 */
import { describe, expect, it } from 'vitest';
import { auditDetail, runChecks } from '../../src/ops/audit/index.js';
import { persistProblem } from '../../src/ops/audit/persistence.js';
import { planHost } from '../../src/ops/host-plan.js';
import { parseSave } from '../../src/ruleset/index.js';
import { checkIds, compiledText, insertRule, NOW, SHIPPED, scenario, setPolicy } from './support.js';

const web = SHIPPED.get('web-servers')!;
const fresh = compiledText(web);
const v6 = (text: string) => ({ v4: fresh.v4, v6: text });
const v4 = (text: string) => ({ v4: text, v6: fresh.v6 });

describe('a freshly applied host', () => {
  it.each(['web-servers', 'db-servers', 'bastion', 'base'])('%s: no finding at all', (name) => {
    const findings = runChecks(scenario({ profile: SHIPPED.get(name)! }));
    expect(findings).toEqual([]);
    expect(auditDetail(findings)).toBe('clean');
  });
});

describe('default policy and exposure', () => {
  it('INPUT policy ACCEPT is critical, per family, alongside the drift it is', () => {
    const live = v4(setPolicy(fresh.v4, 'INPUT', 'ACCEPT'));
    const f = runChecks(scenario({ live, extras: { persisted: live } }));
    expect(checkIds(f)).toEqual(['critical policy-input-drop', 'warning drift']);
    expect(f[0]!.message).toMatch(/^IPv4 INPUT policy is ACCEPT \(expected DROP\)/);
    expect(f[1]!.message).toContain('(+0 -0 ~1');
  });

  it('an unconditional ACCEPT at the top of INPUT is accept-all, naming the rule', () => {
    const live = v4(insertRule(fresh.v4, 'INPUT', '-j ACCEPT'));
    const f = runChecks(scenario({ live, extras: { persisted: live } }));
    // What it lets in, SSH from anywhere without a rate limit included, is named too.
    expect(checkIds(f)).toEqual([
      'critical accept-all',
      'warning drift',
      'warning ssh-sources',
      'warning ssh-rate-limit',
    ]);
    expect(f[0]!.message).toContain('(first unconditional ACCEPT: -A INPUT -j ACCEPT)');
  });

  it("advises fleet apply when the profile's rules pass, the profile first when they fail too", () => {
    const live = v4(insertRule(fresh.v4, 'INPUT', '-j ACCEPT'));
    const byHand = runChecks(scenario({ live, extras: { persisted: live } }));
    expect(byHand.find((f) => f.check === 'ssh-rate-limit')?.message).toMatch(
      /: `fleet apply web-01` puts the profile's rules back$/,
    );
    const web = SHIPPED.get('web-servers')!;
    const unlimited = { ...web, ssh: { ...web.ssh, rateLimit: undefined } };
    const f = runChecks(scenario({ profile: unlimited }));
    expect(f.find((x) => x.check === 'ssh-rate-limit')?.message).toMatch(
      /: set ssh.rate_limit in profile web-servers, then `fleet apply web-01`$/,
    );
  });

  it('one port opened by hand is drift, not accept-all', () => {
    const live = v4(insertRule(fresh.v4, 'INPUT', '-p tcp -m tcp --dport 8080 -j ACCEPT'));
    expect(checkIds(runChecks(scenario({ live, extras: { persisted: live } })))).toEqual(['warning drift']);
  });

  it('IPv6 left open (policy ACCEPT, no rules) while IPv4 is filtered', () => {
    const open6 = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
    const live = v6(open6);
    const ids = checkIds(runChecks(scenario({ live, extras: { persisted: live } })));
    // Nothing is dropped in IPv6, so there is nothing to log: no log-drops finding.
    expect(ids).toEqual([
      'critical policy-input-drop',
      'critical accept-all',
      'warning drift',
      'warning ipv6-covered',
      'warning ssh-sources',
      'warning ssh-rate-limit',
    ]);
  });

  it('IPv6 addresses without ip6tables', () => {
    const f = runChecks(scenario({ live: { v4: fresh.v4, v6: null } }));
    expect(checkIds(f)).toEqual(['warning ipv6-covered']);
    expect(f[0]!.message).toContain('fdf1:ee70:ad5::10/64');
  });
});

describe('SSH and logging', () => {
  const open = SHIPPED.get('web-servers')!;
  it('SSH from anywhere and without a rate limit', () => {
    const profile = { ...open, ssh: { port: 22, sources: [] } };
    const f = runChecks(scenario({ profile }));
    expect(checkIds(f)).toEqual([
      'warning ssh-sources',
      'warning ssh-sources',
      'warning ssh-rate-limit',
      'warning ssh-rate-limit',
    ]);
    expect(f[0]!.message).toMatch(
      /^IPv4: SSH \(tcp\/22\) accepts new connections from any address \(tried 192\.0\.2\.123\)/,
    );
  });

  it('no LOG rule, then a LOG rule without a limit', () => {
    const { log: _, ...noLog } = open;
    expect(checkIds(runChecks(scenario({ profile: noLog })))).toEqual([
      'warning log-drops',
      'warning log-drops',
    ]);
    const unlimited = fresh.v4.replace(/-m limit --limit \S+ --limit-burst \d+ /, '');
    expect(unlimited).not.toBe(fresh.v4);
    const f = runChecks(scenario({ live: v4(unlimited), extras: { persisted: v4(unlimited) } }));
    expect(checkIds(f)).toEqual(['warning drift', 'warning log-drops']);
    expect(f[1]!.message).toContain('without a rate limit');
  });

  it("another tool's LOG without a limit (CrowdSec's, for the addresses it banned) does not count", () => {
    // as CrowdSec's firewall bouncer 0.0.25 writes it with deny_log (corpus 065)
    const set = '-m set --match-set crowdsec-blacklists src';
    const bouncer = insertRule(
      insertRule(fresh.v4, 'INPUT', `${set} -j DROP`),
      'INPUT',
      `${set} -j LOG --log-prefix "crowdsec drop: "`,
    );
    const live = v4(bouncer);
    expect(checkIds(runChecks(scenario({ live, extras: { persisted: live } })))).toEqual([]);
    // the same LOG without the set is no tool's: it counts
    const own = v4(insertRule(fresh.v4, 'INPUT', '-j LOG --log-prefix "dropped: "'));
    expect(checkIds(runChecks(scenario({ live: own, extras: { persisted: own } })))).toContain(
      'warning log-drops',
    );
  });
});

describe('persistence', () => {
  const live = parseSave(fresh.v4, { family: 4 });
  it('missing, different, or the same modulo counters and comments', () => {
    expect(persistProblem(live, null)).toBe('is missing');
    expect(persistProblem(live, 'garbage')).toBe('is not iptables-save text');
    const counted = fresh.v4.replaceAll('[0:0]', '[12:3456]').replace(/ -m comment --comment \S+/g, '');
    expect(persistProblem(live, `# Generated by iptables-save\n${counted}`)).toBeUndefined();
    const other = insertRule(fresh.v4, 'INPUT', '-s 192.0.2.9/32 -j ACCEPT');
    expect(persistProblem(live, other)).toBe(
      'differs from the live rules (0 live rules missing from it, 1 rules in it not live)',
    );
  });

  it("other tools' chains and rules do not count; fleet's, policies and unowned rules do", () => {
    const claims = { preserve: ['f2b-*', 'DOCKER*'] };
    const jail = insertRule(fresh.v4, 'INPUT', '-p tcp -m multiport --dports 22 -j f2b-sshd').replace(
      '*filter\n',
      '*filter\n:f2b-sshd - [0:0]\n-A f2b-sshd -s 198.51.100.7/32 -j REJECT\n',
    );
    const withJail = parseSave(jail, { family: 4 });
    expect(persistProblem(withJail, fresh.v4, claims)).toBeUndefined();
    expect(persistProblem(live, jail, claims)).toBeUndefined();
    const handMade = insertRule(fresh.v4, 'INPUT', '-s 192.0.2.9/32 -j ACCEPT');
    expect(persistProblem(live, handMade, claims)).toMatch(/1 rules in it not live/);
    expect(persistProblem(live, fresh.v4.replace(':INPUT DROP', ':INPUT ACCEPT'), claims)).toMatch(
      /1 chain policies differ/,
    );
  });

  it('a deleted persist file is the only finding', () => {
    const f = runChecks(scenario({ extras: { persisted: { v4: null, v6: fresh.v6 } } }));
    expect(checkIds(f)).toEqual(['warning rules-persisted']);
    expect(f[0]!.message).toBe(
      '/etc/iptables/rules.v4 is missing: a reboot loses the rules; `fleet apply web-01` persists them',
    );
  });
});

describe('backups, updates, bans', () => {
  it('no backup; an old one; the age check off', () => {
    const none = { newest: null, count: 0 };
    expect(checkIds(runChecks(scenario({ extras: { backups: none } })))).toEqual(['warning backup-recent']);
    const old = { newest: NOW - 40 * 86_400, count: 3, newestPath: '/var/backups/fleet/a.v4' };
    const f = runChecks(scenario({ extras: { backups: old } }));
    expect(f[0]!.message).toBe(
      'the newest fleet backup (/var/backups/fleet/a.v4) is 40 days old, older than 30 days (--backup-max-age); `fleet apply web-01` takes a new one',
    );
    expect(runChecks(scenario({ extras: { backups: old }, backupMaxAgeS: 0 }))).toEqual([]);
  });

  it('pending updates are info; security ones and a reboot are warnings', () => {
    const updates = { packageManager: 'apt', pending: ['a', 'b'], security: [], rebootRequired: false };
    const info = runChecks(scenario({ extras: { updates } }));
    expect(checkIds(info)).toEqual(['info updates-pending']);
    expect(auditDetail(info)).toBe('clean (1 info)');
    const sec = { ...updates, security: ['openssl'], rebootRequired: true };
    const f = runChecks(scenario({ extras: { updates: sec } }));
    expect(checkIds(f)).toEqual(['warning updates-pending', 'warning reboot-required']);
    expect(auditDetail(f)).toBe('2 warning: updates-pending, reboot-required');
  });

  const bans = [
    { cidr: '203.0.113.7/32', family: 4 as const },
    { cidr: '2001:db8:bad::/48', family: 6 as const },
  ];

  /** The checks on a host whose live and persisted IPv4 rules are `v4` (IPv6 as compiled). */
  const checksWithLiveV4 = (compiled: { v6: string }, v4: string) =>
    runChecks(
      scenario({ bans, live: { v4, v6: compiled.v6 }, extras: { persisted: { v4, v6: compiled.v6 } } }),
    );

  it('bans: enforced by rules; one deleted by hand is missing (critical)', () => {
    const withBans = compiledText(web, bans);
    expect(runChecks(scenario({ bans }))).toEqual([]);
    const gone = withBans.v4
      .split('\n')
      .filter((l) => !l.includes('-s 203.0.113.7/32'))
      .join('\n');
    const f = checksWithLiveV4(withBans, gone);
    expect(checkIds(f)).toEqual(['critical bans-missing', 'warning drift']);
    expect(f[0]!.message).toBe(
      '1 of 2 active bans are not enforced here: 203.0.113.7/32; `fleet bans sync --on web-01`',
    );
  });

  it('bans: a rule another tool put before the ban jump in raw PREROUTING is critical', () => {
    const withBans = compiledText(web, bans);
    const ahead = withBans.v4.replace(
      '-A PREROUTING -m comment --comment "fleet:bans:jump" -j FLEET-BANS',
      '-A PREROUTING -s 203.0.113.0/24 -j ACCEPT\n-A PREROUTING -m comment --comment "fleet:bans:jump" -j FLEET-BANS',
    );
    expect(ahead).not.toBe(withBans.v4);
    const f = checksWithLiveV4(withBans, ahead);
    expect(checkIds(f)).toEqual(['critical bans-not-first', 'warning drift']);
    expect(f[0]!.message).toContain('IPv4: raw PREROUTING starts with "-s 203.0.113.0/24 -j ACCEPT"');
  });

  it('bans: in ipset mode the set members count, and a missing set misses all', () => {
    const sets = { v4: ['203.0.113.7'], v6: ['2001:db8:bad::/48'] };
    expect(runChecks(scenario({ bans, banMode: 'ipset', extras: { banSets: sets } }))).toEqual([]);
    const f = runChecks(scenario({ bans, banMode: 'ipset', extras: { banSets: { v4: null, v6: sets.v6 } } }));
    expect(checkIds(f)).toEqual(['critical bans-missing']);
    expect(f[0]!.message).toContain('1 of 2 active bans');
  });
});

describe('an armed transaction', () => {
  it('is an armed finding even where the live rules match the profile', () => {
    const input = scenario();
    const armed = [{ tx: 'aaaa1111bb', backup: '/var/backups/fleet/20261122T013028Z-aaaa1111bb', leftS: 38 }];
    const f = runChecks({ ...input, facts: { ...input.facts, armed } });
    expect(checkIds(f)).toEqual(['warning armed']);
    expect(f[0]!.message).toBe(
      'awaiting confirmation of aaaa1111bb, 38 s left; the watchdog will restore 20261122T013028Z-aaaa1111bb',
    );
  });
});

describe('a host fleet shares with a tool that rebuilds its chains', () => {
  it('says apply would refuse it instead of advising an apply', () => {
    const want = compiledText(web);
    const plan = planHost({ v4: want.v4, v6: want.v6 }, want.compiled, true, ['ufw']);
    const f = runChecks({ ...scenario(), plan });
    expect(checkIds(f)).toEqual(['warning coexistence']);
    expect(f[0]!.message).toMatch(/^`fleet apply` refuses this host: ufw is active on this host/);
    const drifted = insertRule(want.v4, 'INPUT', '-p tcp -m tcp --dport 8443 -j ACCEPT');
    const both = planHost({ v4: drifted, v6: want.v6 }, want.compiled, true, ['ufw']);
    const g = runChecks({ ...scenario({ live: { v4: drifted, v6: want.v6 } }), plan: both });
    expect(g.find((x) => x.check === 'drift')?.message).toContain('`fleet apply` refuses this host: ufw');
  });
});
