/**
 * Real hosts of other tools, from the corpus (test/fixtures/corpus/iptables-save, SOURCES.md):
 * each dump is loaded into two lab hosts, one on iptables-nft and one on iptables-legacy, with
 * the ipsets it matches; then the shipped base profile is applied. Every foreign rule the
 * ownership model keeps (docs/coexistence.md) must be there afterwards, in every table, in
 * order, and nothing else foreign; a second apply is `unchanged`; audit finds no drift; a rule
 * another tool adds to its chain between applies survives the next apply. A host whose kept
 * rules would cut fleet's SSH (an inactive ufw's) is refused by the lockout guard at plan time,
 * plan and apply alike, nothing written to it; with the tool taken over, apply goes through.
 * What each step did, per tool and backend, is printed at the end (the table in
 * docs/coexistence.md comes from it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { isBuiltinChain, ruleKey } from '../../src/ruleset/index.js';
import { type CliRun, fleetOnLab as fleet } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import {
  dumpText,
  emptyHost,
  expectedAfterApply,
  type Family,
  foreignNow,
  liveRules,
  loadDump,
  useLegacy,
} from './corpus-host.js';
import { firewallState, repoWithProfiles } from './helpers.js';

interface Tool {
  tool: string;
  dumps: Partial<Record<Family, string>>;
  /** The tool whose kept rules would cut fleet's SSH: refused until the profile takes it over. */
  refusedUntilTakeover?: string;
  /**
   * The tool's own change between two applies, as the tool would make it: `iptables` argv
   * (family 4) inserting a rule at the top of `chain` (a built-in chain where the tool has none
   * of its own). Without it, a RETURN is appended to the first kept user chain (filter first).
   */
  change?: { table: string; chain: string; args: string[] };
}

/** CrowdSec's bouncer (recorded, SOURCES.md): a restart with FORWARD added to `iptables_chains`. */
const CROWDSEC_FORWARD = {
  table: 'filter',
  chain: 'FORWARD',
  args: ['-m', 'set', '--match-set', 'crowdsec-blacklists', 'src', '-j', 'DROP'],
};

/** Flannel (068): the forward accept flanneld writes for a cluster CIDR, at the top of its own FLANNEL-FWD. */
const FLANNEL_SUBNET = {
  table: 'filter',
  chain: 'FLANNEL-FWD',
  args: ['-s', '10.245.0.0/16', '-m', 'comment', '--comment', 'flanneld forward', '-j', 'ACCEPT'],
};

/**
 * Cilium (069): a new L7 policy makes the agent add a TPROXY rule per protocol for its proxy
 * port to its own CILIUM_PRE_mangle, as the two already there for its DNS proxy.
 */
const CILIUM_PROXY = {
  table: 'mangle',
  chain: 'CILIUM_PRE_mangle',
  args: [
    '-p',
    'tcp',
    '-m',
    'mark',
    '--mark',
    '0x1a420200',
    '-m',
    'comment',
    '--comment',
    'cilium: TPROXY to host cilium-http-egress proxy',
    '-j',
    'TPROXY',
    '--on-port',
    '16922',
    '--on-ip',
    '127.0.0.1',
    '--tproxy-mark',
    '0x200/0xffffffff',
  ],
};

const TOOLS: Tool[] = [
  { tool: 'docker (nft) + tailscale', dumps: { 4: '060-docker-nft-tailscale-connmark-2026.rules' } },
  {
    tool: 'docker 29 (nft: DOCKER-FORWARD/-BRIDGE/-CT, raw drops) + tailscale',
    dumps: { 4: '062-docker-29-nft-forward-bridge-ct-tailscale-2026.rules' },
  },
  { tool: 'docker (embedded DNS, nat only)', dumps: { 4: '006-docker-container-embedded-dns-nft.rules' } },
  {
    tool: 'ufw (inactive)',
    dumps: { 4: '061-ufw-default-chains-user-rules-2022.rules' },
    // ufw's jumps stood first in INPUT, so they would stay above fleet's; ufw-user-input ends in
    // `-j DROP`, which would drop the confirmation's new SSH connection before FLEET-INPUT.
    refusedUntilTakeover: 'ufw',
  },
  {
    tool: 'firewalld (inactive) + libvirt',
    dumps: {
      4: '011-firewalld-fedora27-libvirt-rule-counters.rules',
      6: '012-firewalld-fedora27-ip6tables.rules6',
    },
  },
  {
    tool: 'libvirt',
    dumps: { 4: '034-desktop-libvirt-skeleton.rules', 6: '035-desktop-libvirt-ip6tables.rules6' },
  },
  {
    tool: 'crowdsec bouncer 0.0.25 (iptables mode, default: INPUT)',
    dumps: {
      4: '063-crowdsec-firewall-bouncer-0.0.25-iptables-nft.rules',
      6: '064-crowdsec-firewall-bouncer-0.0.25-ip6tables-nft.rules6',
    },
    change: CROWDSEC_FORWARD,
  },
  {
    tool: 'crowdsec bouncer 0.0.25 (deny_log, INPUT and FORWARD)',
    dumps: {
      4: '065-crowdsec-firewall-bouncer-deny-log-forward-iptables-nft.rules',
      6: '066-crowdsec-firewall-bouncer-deny-log-forward-ip6tables-nft.rules6',
    },
  },
  {
    tool: 'calico (felix, iptables dataplane)',
    dumps: { 4: '067-calico-felix-fv-iptables-1.8.4-2025.rules' },
  },
  {
    tool: 'flannel + kube-proxy + docker',
    dumps: { 4: '068-flannel-kube-proxy-docker-iptables-1.8.4-2024.rules' },
    change: FLANNEL_SUBNET,
  },
  {
    tool: 'cilium + kube-proxy (ipvs)',
    dumps: { 4: '069-cilium-kube-proxy-ipvs-annotated-2023.rules' },
    change: CILIUM_PROXY,
  },
  {
    tool: 'sshguard + libvirt',
    dumps: { 4: '019-libvirt-duplicated-rules-sshguard.rules', 6: '020-sshguard-ip6tables.rules6' },
  },
];

const lab = useLab({ name: 'tcorpus', count: 2, group: 'web-servers' });
const BACKENDS = ['nft', 'legacy'] as const;
let dir: string;
const notes: string[] = [];

const hostOf = (i: number) => lab().hosts[i]!.name;
const statusOf = (run: CliRun, host: string) => run.report?.hosts.find((h) => h.host === host);

/** So the dump's own policies cannot cut fleet's SSH off before fleet's rules are in. */
async function keepSsh(host: string): Promise<void> {
  const ws = lab().workstation.v4;
  await labHostExec(lab(), host, [
    'iptables',
    '-I',
    'INPUT',
    '1',
    '-s',
    `${ws}/32`,
    '-p',
    'tcp',
    '--dport',
    '22',
    '-j',
    'ACCEPT',
  ]);
}

/** A chain of the tool's that stays (filter first), to add a rule to between applies. */
function foreignChainOf(kept: Map<string, string[]>): [string, string] | undefined {
  const user = [...kept.keys()]
    .map((k) => k.split('/') as [string, string])
    .filter(([t, c]) => !isBuiltinChain(t, c));
  return user.find(([t]) => t === 'filter') ?? user[0];
}

/**
 * The lockout guard refuses the host as it is, at plan time: plan and apply fail it naming the
 * tool's chain and the fix, and nothing is written to it (rules and ipsets as they were). With
 * the tool taken over, apply deletes its chains and goes through; a second apply is unchanged.
 */
async function expectRefusedUntilTakeover(t: Tool, hosts: string[]): Promise<void> {
  const tool = t.refusedUntilTakeover!;
  const state = await Promise.all(hosts.map((h) => firewallState(lab(), h)));
  const plan = await fleet(dir, lab(), 'plan', 'all');
  const apply = await fleet(dir, lab(), 'apply', 'all', '--canary', '0');
  expect([plan.code, apply.code]).toEqual([1, 1]);
  for (const [i, host] of hosts.entries()) {
    for (const run of [plan, apply]) {
      expect(statusOf(run, host)?.status, run.stderr).toBe('failed');
      expect(statusOf(run, host)?.detail).toMatch(
        /refused: lockout guard: SSH \(tcp\/22\) from management source/,
      );
      expect(statusOf(run, host)?.detail).toContain(`${tool}'s chain ${tool}-user-input`);
      expect(statusOf(run, host)?.detail).toContain(`add \`takeover: [${tool}]\` to profile web-servers`);
    }
    expect(await firewallState(lab(), host), `${BACKENDS[i]}: nothing written`).toEqual(state[i]);
  }
  const yaml = `description: base, ${tool} taken over\nextends: base\ntakeover: [${tool}]\n`;
  const taken = repoWithProfiles('corpus-takeover', { 'web-servers': yaml });
  const first = await fleet(taken, lab(), 'apply', 'all', '--canary', '0');
  const second = await fleet(taken, lab(), 'apply', 'all', '--canary', '0');
  const audit = await fleet(taken, lab(), 'audit', 'all');
  for (const [i, host] of hosts.entries()) {
    expect(statusOf(first, host)?.status, first.stderr).toBe('changed');
    expect(statusOf(first, host)?.detail, host).not.toContain('read again');
    const live = await liveRules(lab(), host, 4);
    const left = live.tables
      .flatMap((x) => x.chains.map((c) => c.name))
      .filter((c) => c.startsWith(`${tool}-`));
    expect(left, `${BACKENDS[i]}: ${tool}'s chains taken over`).toEqual([]);
    expect(statusOf(second, host)?.status, second.stderr).toBe('unchanged');
    const findings = (statusOf(audit, host)?.findings ?? []).map((x) => x.check);
    expect(findings).not.toContain('drift');
    notes.push(
      `| ${t.tool} | ${BACKENDS[i]} | plan and apply: ${statusOf(apply, host)?.detail} (nothing written); with takeover: ${statusOf(first, host)?.status}: ${statusOf(first, host)?.detail} | ${statusOf(second, host)?.status} | ${findings.join(', ') || 'clean'} | - | - |`,
    );
  }
}

describe('the shipped base on hosts of other tools (corpus dumps, nft and legacy)', () => {
  beforeAll(async () => {
    // web-servers is base here: the test is about what the shipped base keeps
    dir = repoWithProfiles('corpus-tools', { 'web-servers': 'description: base only\nextends: base\n' });
    await useLegacy(lab(), hostOf(1));
  }, 120_000);

  afterAll(() => {
    console.log(`\nper tool and backend:\n${notes.join('\n')}\n`);
  });

  for (const t of TOOLS) {
    const title = t.refusedUntilTakeover
      ? 'refused by the lockout guard at plan time, nothing written; taken over, applied, then unchanged'
      : 'kept in every table and in order, second apply unchanged, audit without drift, a foreign change kept';
    it(`${t.tool}: ${title}`, async () => {
      const hosts = BACKENDS.map((_, i) => hostOf(i));
      const families = Object.keys(t.dumps).map(Number) as Family[];
      const loaded: string[] = [];
      for (const host of hosts) {
        await emptyHost(lab(), host);
        for (const f of families) {
          const why = await loadDump(lab(), host, dumpText(t.dumps[f]!), f);
          if (why) loaded.push(`${host} v${f}: ${why}`);
        }
        await keepSsh(host);
      }
      expect(loaded, 'every dump loads').toEqual([]);
      if (t.refusedUntilTakeover) return expectRefusedUntilTakeover(t, hosts);
      const before = await Promise.all(
        hosts.map(async (h) => Promise.all(families.map((f) => liveRules(lab(), h, f)))),
      );
      const expected = before.map((perFamily) => perFamily.map(expectedAfterApply));

      const first = await fleet(dir, lab(), 'apply', 'all', '--canary', '0');
      for (const [i, host] of hosts.entries()) {
        expect(statusOf(first, host)?.status, `${host}: ${first.stderr}`).toBe('changed');
        // nothing else writes here: no compare-and-swap retry (a fresh legacy table is no race)
        expect(statusOf(first, host)?.detail, host).not.toContain('read again');
        for (const [j, f] of families.entries()) {
          const now = foreignNow(await liveRules(lab(), host, f), expected[i]![j]!);
          expect(Object.fromEntries(now), `${BACKENDS[i]} v${f}`).toEqual(
            Object.fromEntries(expected[i]![j]!.kept),
          );
        }
      }

      const second = await fleet(dir, lab(), 'apply', 'all', '--canary', '0');
      for (const host of hosts) expect(statusOf(second, host)?.status, second.stderr).toBe('unchanged');

      const audit = await fleet(dir, lab(), 'audit', 'all');
      const findings = hosts.map((h) => (statusOf(audit, h)?.findings ?? []).map((x) => x.check));
      for (const f of findings) expect(f).not.toContain('drift');

      // another tool adds a rule to its own chain (or, having none, inserts one) between two applies
      const own = foreignChainOf(expected[0]![0]!.kept);
      const f0 = t.change ? 4 : families[0]!;
      const target = t.change ? ([t.change.table, t.change.chain] as [string, string]) : own;
      const extra = t.change?.args ?? ['-s', f0 === 4 ? '192.0.2.99/32' : '2001:db8::99/128', '-j', 'RETURN'];
      const cmd = f0 === 4 ? 'iptables' : 'ip6tables';
      const op = t.change ? ['-I', target![1], '1'] : ['-A', target?.[1] ?? ''];
      if (target) for (const h of hosts) await labHostExec(lab(), h, [cmd, '-t', target[0], ...op, ...extra]);
      const third = await fleet(dir, lab(), 'apply', 'all', '--canary', '0');
      for (const [i, host] of hosts.entries()) {
        const live = await liveRules(lab(), host, f0);
        const chain =
          target && live.tables.find((x) => x.name === target[0])?.chains.find((c) => c.name === target[1]);
        const keys = (chain?.rules ?? []).map((r) => ruleKey(r.args, f0));
        if (target) expect(keys, `${BACKENDS[i]}: ${target.join(' ')}`).toContain(ruleKey(extra, f0));
        const dropped = expected[i]!.flatMap((e) => e.dropped);
        notes.push(
          `| ${t.tool} | ${BACKENDS[i]} | ${statusOf(first, host)?.status}: ${statusOf(first, host)?.detail ?? ''} | ` +
            `${statusOf(second, host)?.status} | ${findings[i]!.join(', ') || 'clean'} | ` +
            `${target ? `${target.join(' ')} +1 rule: kept, apply ${statusOf(third, host)?.status}` : 'no chain of its own'} | ` +
            `${dropped.length} dropped: ${dropped.join('; ')} |`,
        );
      }
    }, 600_000);
  }
});
