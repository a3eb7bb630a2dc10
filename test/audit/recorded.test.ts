/**
 * The audit on what real hosts printed: a lab host (Debian 12, iptables 1.8.9 nf_tables) right
 * after `fleet apply` — its iptables-save and ip6tables-save, and the audit script's own output
 * (test/fixtures/audit/, recorded from lab hosts). The kernel's print-back of the rules must
 * audit clean, and the script's output must parse to what the host had.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../src/model/profile.js';
import { runChecks } from '../../src/ops/audit/index.js';
import { parseAuditOutput } from '../../src/ops/audit/parse.js';
import { planHost } from '../../src/ops/host-plan.js';
import { loadProfiles } from '../../src/profiles/index.js';
import { compile, parseSave } from '../../src/ruleset/index.js';
import { FACTS, HOST, insertRule } from './support.js';

const fixture = (name: string) => readFileSync(`test/fixtures/audit/${name}`, 'utf8');
/** The recording lab's workstation: its management sources. */
const LAB_MGMT: Source[] = [
  { cidr: '10.213.21.1/32', family: 4 },
  { cidr: 'fdf1:ee70:ad5:15::1/128', family: 6 },
];
const profile = loadProfiles('.', { managementSources: LAB_MGMT }).get('web-servers')!;
const saved = { v4: fixture('web-servers.v4.save'), v6: fixture('web-servers.v6.save') };
const extras = parseAuditOutput(fixture('audit-output.txt'));

function audit(live: { v4: string; v6: string }) {
  const compiled = compile({ profile, host: HOST, managementSources: LAB_MGMT, banMode: 'rules' });
  return runChecks({
    host: { name: 'audx-02', port: 22 },
    profile,
    facts: FACTS,
    live: { v4: parseSave(live.v4, { family: 4 }), v6: parseSave(live.v6, { family: 6 }) },
    plan: planHost(live, compiled, true),
    extras,
    management: LAB_MGMT,
    bans: [],
    settings: { backupMaxAgeS: 30 * 86_400 },
  });
}

describe('recorded from a freshly applied lab host', () => {
  it('the audit script output parses', () => {
    expect(extras.now).toBe(1795311611);
    expect(extras.persisted.v4).toContain(':INPUT DROP [0:0]');
    expect(extras.persisted.v6).toContain('-A FLEET-LOG');
    expect(extras.backups).toMatchObject({
      count: 1,
      newestPath: expect.stringMatching(/^\/var\/backups\/fleet\/\d{8}T\d{6}Z-[0-9a-f]+\.v4$/),
    });
    expect(extras.now - extras.backups.newest!).toBeLessThan(600);
    expect(extras.banSets).toEqual({ v4: null, v6: null });
    expect(extras.ipv6Addresses).toEqual(['fdf1:ee70:ad5:15::11/64']);
    expect(extras.updates).toEqual({
      packageManager: 'apt',
      pending: [],
      security: [],
      rebootRequired: false,
    });
  });

  it("the kernel's print-back of the applied rules audits clean", () => {
    expect(audit(saved)).toEqual([]);
  });

  it('one rule added by hand to the read-back: drift, and the persist file no longer matches', () => {
    const v4 = insertRule(saved.v4, 'INPUT', '-p tcp -m tcp --dport 8080 -j ACCEPT');
    expect(audit({ ...saved, v4 }).map((f) => f.check)).toEqual(['drift', 'rules-persisted']);
  });
});

describe("the audit script's raw sections (no awk or grep on the host)", () => {
  const out = fixture('audit-output.txt')
    .replace(
      /@@fleet:ipv6\n.*\n/,
      '@@fleet:ipv6\n2: eth0    inet6 fdf1:ee70:ad5:15::11/64 scope global \\       valid_lft forever preferred_lft forever\n',
    )
    .replace(
      /@@fleet:updates\napt\n/,
      '@@fleet:updates\napt\nReading package lists...\nInst libssl3 [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])\nConf libssl3 (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])\n',
    );
  const raw = parseAuditOutput(out);

  it("ip's line gives its address field; apt-get's Conf and progress lines are skipped", () => {
    expect(raw.ipv6Addresses).toEqual(['fdf1:ee70:ad5:15::11/64']);
    expect(raw.updates.pending).toEqual(['libssl3']);
    expect(raw.updates.security).toEqual(['libssl3']);
  });

  it("/proc/net/if_inet6's lines give the address as ip prints it (RFC 5952) with its prefix length", () => {
    const lines = [
      'fdf1ee700ad500150000000000000011 02 40 00 82     eth0',
      '20010db8000000000001000000000001 02 30 00 82     eth0',
    ].join('\n');
    const text = out.replace(/@@fleet:ipv6\n.*\n/, `@@fleet:ipv6\n${lines}\n`);
    expect(parseAuditOutput(text).ipv6Addresses).toEqual(['fdf1:ee70:ad5:15::11/64', '2001:db8::1:0:0:1/48']);
  });
});
