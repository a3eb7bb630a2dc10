/**
 * Audit inputs for the pure checks: a shipped profile compiled for a host stands for what a
 * freshly applied host runs; a test changes the live text (as an operator's hand would) and
 * looks at the findings.
 */
import type { Ban } from '../../src/model/ban.js';
import type { Profile, Source } from '../../src/model/profile.js';
import type { AuditInput, HostExtras } from '../../src/ops/audit/index.js';
import type { Facts } from '../../src/ops/facts.js';
import { planHost } from '../../src/ops/host-plan.js';
import { loadProfiles } from '../../src/profiles/index.js';
import { type BanMode, compile, parseSave, renderRestore } from '../../src/ruleset/index.js';
import { HOST } from '../ruleset/fixtures/profiles.js';

export { HOST };

export const MGMT: Source[] = [
  { cidr: '10.213.0.1/32', family: 4 },
  { cidr: 'fd42:f1ee::1/128', family: 6 },
];

export const SHIPPED = loadProfiles('.', { managementSources: MGMT });

export const NOW = 1_770_000_000;

export const FACTS: Facts = {
  os: 'debian',
  osVersion: '12',
  packageManager: 'apt',
  iptables: 'nft',
  iptablesVersion: 'iptables v1.8.9 (nf_tables)',
  ip6tables: true,
  ipset: false,
  conntrack: false,
  systemd: true,
  persistV4: '/etc/iptables/rules.v4',
  persistV6: '/etc/iptables/rules.v6',
  persisted: true,
  rulesV4: 20,
  rulesV6: 20,
  backends: { legacy: { v4: 0, v6: 0 }, nft: { v4: 20, v6: 20 } },
  armed: [],
  activeTools: [],
};

/** The rules a freshly applied host prints (iptables-save text), per family. */
export function compiledText(profile: Profile, bans: Ban[] = [], banMode: BanMode = 'rules') {
  const c = compile({ profile, host: HOST, managementSources: MGMT, bans, banMode });
  return { v4: renderRestore(c.rulesets.v4), v6: renderRestore(c.rulesets.v6), compiled: c };
}

export interface Scenario {
  profile?: Profile;
  live?: { v4: string; v6: string | null };
  extras?: Partial<HostExtras>;
  bans?: Ban[];
  banMode?: BanMode;
  backupMaxAgeS?: number;
}

export function cleanExtras(v4: string, v6: string | null): HostExtras {
  return {
    now: NOW,
    persisted: { v4, v6 },
    backups: { newest: NOW - 3600, count: 1, newestPath: '/var/backups/fleet/x.v4' },
    banSets: { v4: null, v6: null },
    ipv6Addresses: ['fdf1:ee70:ad5::10/64'],
    updates: { packageManager: 'apt', pending: [], security: [], rebootRequired: false },
  };
}

/** An audit input: the profile's compiled rules as live (unless given), and a clean host. */
export function scenario(s: Scenario = {}): AuditInput {
  const profile = s.profile ?? SHIPPED.get('web-servers')!;
  const want = compiledText(profile, s.bans, s.banMode);
  const live = s.live ?? { v4: want.v4, v6: want.v6 };
  return {
    host: { name: HOST.name, port: HOST.port },
    profile,
    facts: { ...FACTS, ip6tables: live.v6 !== null },
    live: {
      v4: parseSave(live.v4, { family: 4 }),
      v6: live.v6 === null ? null : parseSave(live.v6, { family: 6 }),
    },
    plan: planHost(live, want.compiled, live.v6 !== null),
    extras: { ...cleanExtras(live.v4, live.v6), ...s.extras },
    management: MGMT,
    bans: s.bans ?? [],
    settings: { backupMaxAgeS: s.backupMaxAgeS ?? 30 * 86_400 },
  };
}

/** Insert a rule line at the top of a chain in iptables-save text (like `iptables -I`). */
export function insertRule(text: string, chain: string, args: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`-A ${chain} `));
  const decl = lines.findIndex((l) => l.startsWith(`:${chain} `));
  const where = at >= 0 ? at : lines.indexOf('COMMIT', decl);
  lines.splice(where, 0, `-A ${chain} ${args}`);
  return lines.join('\n');
}

export function setPolicy(text: string, chain: string, policy: string): string {
  return text.replace(new RegExp(`^:${chain} \\S+`, 'm'), `:${chain} ${policy}`);
}

export function checkIds(input: { check: string; severity: string }[]): string[] {
  return input.map((f) => `${f.severity} ${f.check}`);
}
