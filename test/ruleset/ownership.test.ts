/**
 * The ownership model, pure (docs/coexistence.md): the catalogue of known owners recognises
 * their chains and rules; every foreign rule of nat, mangle and raw stays in place and in order
 * also when the profile writes raw rules there; hand-made rules in filter's built-ins are drift;
 * a tool the profile takes over loses its chains and rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_KNOWN_OWNERS, KNOWN_OWNERS, preserveGlobs } from '../../src/model/known-owners.js';
import {
  chainOwner,
  diff,
  findChain,
  findTable,
  isBuiltinChain,
  merge,
  parseSave,
  planRestore,
  type Ruleset,
  ruleOwner,
} from '../../src/ruleset/index.js';
import { IPTABLES_SAVE_CORPUS } from '../support/corpus.js';

const save = (text: string): Ruleset => parseSave(text, { family: 4 });
const rulesOf = (rs: Ruleset, table: string, chain: string) =>
  (findChain(findTable(rs, table), chain)?.rules ?? []).map((r) => r.args.join(' '));
const rule = (args: string) => ({ chain: 'INPUT', args: args.split(' '), comment: undefined });

const DOCKER_NAT = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE
-A POSTROUTING -s 10.9.0.0/24 -o eth0 -j SNAT --to-source 192.0.2.1
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i tailscale0 -j CONNMARK --restore-mark --nfmask 0xff0000 --ctmask 0xff0000
-A POSTROUTING -m mark --mark 0xca6c -p udp -m comment --comment "wg-quick(8) rule for wg0" -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:CROWDSEC_CHAIN - [0:0]
:ts-input - [0:0]
:ufw-before-input - [0:0]
-A INPUT -j ts-input
-A INPUT -m set --match-set crowdsec-blacklists src -j DROP
-A INPUT -p tcp -m tcp --dport 8443 -j ACCEPT
-A INPUT -j ufw-before-input
-A INPUT -j CROWDSEC_CHAIN
-A ts-input -i tailscale0 -j ACCEPT
-A ufw-before-input -i lo -j ACCEPT
COMMIT
`;

const DESIRED = save(`*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 10.50.0.0/24 -o eth0 -m comment --comment fleet:base:raw.1 -j MASQUERADE
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment fleet:base:raw.2 -j TCPMSS --clamp-mss-to-pmtu
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:FLEET-INPUT - [0:0]
-A INPUT -m comment --comment fleet:base:jump -j FLEET-INPUT
-A FLEET-INPUT -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
`);

describe('known owners', () => {
  it('name the chains of each tool', () => {
    const cases: [string, string | undefined][] = [
      ['DOCKER-USER', 'docker'],
      ['DOCKER-ISOLATION-STAGE-1', 'docker'],
      ['KUBE-ROUTER-INPUT', 'kube-router'],
      ['KUBE-POD-FW-USM7NRBIRGTUOWVB', 'kube-router'],
      ['KUBE-SERVICES', 'kubernetes'],
      ['cali-FORWARD', 'calico'],
      ['CILIUM_POST_nat', 'cilium'],
      ['OLD_CILIUM_INPUT', 'cilium'],
      ['FLANNEL-POSTRTG', 'flannel'],
      ['f2b-sshd', 'fail2ban'],
      ['sshguard', 'sshguard'],
      ['CROWDSEC_CHAIN', 'crowdsec'],
      ['ufw-before-input', 'ufw'],
      ['ufw6-user-input', 'ufw'],
      ['INPUT_direct', 'firewalld'],
      ['IN_public_allow', 'firewalld'],
      ['FORWARD_IN_ZONES_SOURCE', 'firewalld'],
      ['ts-postrouting', 'tailscale'],
      ['LIBVIRT_FWX', 'libvirt'],
      ['FLEET-INPUT', undefined],
      ['INPUT', undefined],
      ['my-chain', undefined],
    ];
    for (const [chain, tool] of cases) expect(chainOwner(chain)?.tool, chain).toBe(tool);
  });

  it('recognise the CNI and bouncer rules real nodes show in built-in chains (issue #12)', () => {
    // As iptables-save prints them on Cilium, k3s (kube-router + Flannel), older Flannel and
    // CrowdSec bouncer hosts (a Flannel node's whole dump is corpus 068 and a Cilium node's 069,
    // both tried in the lab; docs/coexistence.md says why no k3s dump is).
    const rs = save(`*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
-A INPUT -m comment --comment "cilium-feeder: CILIUM_INPUT" -j CILIUM_INPUT
-A INPUT -m comment --comment "kube-router netpol - 4IA2OSFRMVNDXBVV" -j KUBE-ROUTER-INPUT
-A INPUT -m comment --comment "KUBE-ROUTER rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark 0x20000/0x20000 -j ACCEPT
-A INPUT -m set --match-set crowdsec-blacklists-0 src -j DROP
-A FORWARD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FORWARD -i lxc+ -m comment --comment "cilium: cluster->any on lxc+ forward accept" -j ACCEPT
COMMIT
`);
    const owners = findTable(rs, 'filter')!.chains.flatMap((c) => c.rules.map((r) => ruleOwner(r)?.tool));
    expect(owners).toEqual(['cilium', 'kube-router', 'kube-router', 'crowdsec', 'flannel', 'cilium']);
  });

  it("recognise every Cilium and kube-proxy rule in a Cilium node's built-in chains (corpus 069)", () => {
    const rs = parseSave(
      readFileSync(join(IPTABLES_SAVE_CORPUS, '069-cilium-kube-proxy-ipvs-annotated-2023.rules'), 'utf8'),
      { family: 4 },
    );
    const owners = new Map<string, string>();
    for (const t of rs.tables)
      for (const c of t.chains.filter((x) => isBuiltinChain(t.name, x.name)))
        for (const r of c.rules) {
          const tool = ruleOwner(r)?.tool ?? 'none';
          const text = r.args.join(' ');
          if (/cilium|KUBE-|kubernetes/.test(text)) expect(tool, text).not.toBe('none');
          owners.set(tool, `${owners.get(tool) ?? ''}${t.name}/${c.name} `);
        }
    expect(owners.get('cilium')?.trim().split(' ')).toEqual([
      'mangle/PREROUTING',
      'mangle/POSTROUTING',
      'raw/PREROUTING',
      'raw/OUTPUT',
      'filter/INPUT',
      'filter/FORWARD',
      'filter/OUTPUT',
      'nat/PREROUTING',
      'nat/OUTPUT',
      'nat/POSTROUTING',
    ]);
    // the node's own MARK 0x21 and MASQUERADE rules are no known tool's: kept (not filter), unnamed
    expect(owners.get('none')?.trim().split(' ')).toHaveLength(11);
    expect([...owners.keys()].sort()).toEqual(['cilium', 'kubernetes', 'none']);
  });

  it('recognise rules in built-in chains by jump, comment, set, mark and interface', () => {
    expect(ruleOwner(rule('-j ts-input'))?.tool).toBe('tailscale');
    expect(ruleOwner(rule('-m comment --comment cali:wUHhoiAYhphO9Mso -j cali-INPUT'))?.tool).toBe('calico');
    expect(ruleOwner(rule('-m set --match-set crowdsec-blacklists src -j DROP'))?.tool).toBe('crowdsec');
    // Cilium's node set, as its CILIUM_POST_nat matches it (`exclude traffic to cluster nodes ...`)
    expect(ruleOwner(rule('-m set --match-set cilium_node_set_v4 dst -j ACCEPT'))?.tool).toBe('cilium');
    expect(ruleOwner(rule('-m mark --mark 0x20000/0x20000 -j ACCEPT'))?.tool).toBe('kube-router');
    expect(
      ruleOwner({
        chain: 'PREROUTING',
        args: ['-m', 'comment', '--comment', 'wg-quick(8) rule for wg0', '-j', 'DROP'],
      })?.tool,
    ).toBe('wireguard');
    expect(ruleOwner(rule('-i virbr0 -p udp -m udp --dport 53 -j ACCEPT'))?.tool).toBe('libvirt');
    expect(ruleOwner(rule('-p tcp -m tcp --dport 8443 -j ACCEPT'))).toBeUndefined();
    expect(ruleOwner(rule('-m comment --comment fleet:base:ssh -j ACCEPT'))).toBeUndefined();
  });

  it('take a comment over a mark two tools share (Calico, kube-router: 0x10000/0x10000)', () => {
    // Calico's FORWARD accept, as in corpus 067 (projectcalico/calico's felix/fv fixture)
    const rs = save(`*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -m comment --comment "cali:S93hcgKJrXEqnTfs" -m comment --comment "Policy explicitly accepted packet." -m mark --mark 0x10000/0x10000 -j ACCEPT
-A FORWARD -m mark --mark 0x10000/0x10000 -j ACCEPT
COMMIT
`);
    const owners = findChain(findTable(rs, 'filter'), 'FORWARD')!.rules.map((r) => ruleOwner(r)?.tool);
    expect(owners).toEqual(['calico', 'kube-router']);
  });

  it("recognise NodeLocal DNSCache's accepts by its address and port 53, or by its comment", () => {
    // as a Cilium node with node-cache shows them (bare), and newer node-cache (commented)
    const bare = [
      '-d 169.254.20.10/32 -p udp -m udp --dport 53 -j ACCEPT',
      '-d 169.254.20.10/32 -p tcp -m tcp --dport 53 -j ACCEPT',
      '-s 169.254.20.10/32 -p udp -m udp --sport 53 -j ACCEPT',
    ];
    for (const r of bare) expect(ruleOwner(rule(r))?.tool, r).toBe('node-local-dns');
    const commented =
      '-d 10.96.0.10/32 -p udp -m udp --dport 53 -m comment --comment "NodeLocal DNS Cache: allow DNS traffic" -j ACCEPT';
    const parsed = save(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${commented}\nCOMMIT\n`);
    const [r0] = findChain(findTable(parsed, 'filter'), 'INPUT')!.rules;
    expect(ruleOwner(r0!)?.tool).toBe('node-local-dns');
    // another port, another address, or the address negated: not node-cache's
    for (const r of [
      '-d 169.254.20.10/32 -p tcp -m tcp --dport 22 -j ACCEPT',
      '-d 169.254.20.11/32 -p udp -m udp --dport 53 -j ACCEPT',
      '! -d 169.254.20.10/32 -p udp -m udp --dport 53 -j ACCEPT',
      '-p udp -m udp --dport 53 -j ACCEPT',
    ])
      expect(ruleOwner(rule(r)), r).toBeUndefined();
  });

  it('have unique names, and known-owners stands for every chain pattern', () => {
    const names = KNOWN_OWNERS.map((o) => o.tool);
    expect(new Set(names).size).toBe(names.length);
    const all = preserveGlobs([ALL_KNOWN_OWNERS]);
    for (const o of KNOWN_OWNERS) for (const g of o.chains) expect(all).toContain(g);
    expect(preserveGlobs(['docker', 'MY-*'])).toEqual(['DOCKER', 'DOCKER-*', 'DOCKER_*', 'MY-*']);
  });
});

describe('ownership by rule, in every table', () => {
  const current = save(DOCKER_NAT);
  const claims = { preserve: [ALL_KNOWN_OWNERS] };

  it('keeps every foreign nat and mangle rule in place and in order when the profile adds its own', () => {
    const merged = merge(current, DESIRED, claims);
    expect(rulesOf(merged, 'nat', 'POSTROUTING')).toEqual([
      ...rulesOf(current, 'nat', 'POSTROUTING'),
      '-s 10.50.0.0/24 -o eth0 -m comment --comment fleet:base:raw.1 -j MASQUERADE',
    ]);
    expect(rulesOf(merged, 'nat', 'PREROUTING')).toEqual(rulesOf(current, 'nat', 'PREROUTING'));
    expect(rulesOf(merged, 'nat', 'DOCKER')).toEqual(rulesOf(current, 'nat', 'DOCKER'));
    expect(rulesOf(merged, 'mangle', 'PREROUTING')).toEqual(rulesOf(current, 'mangle', 'PREROUTING'));
    expect(rulesOf(merged, 'mangle', 'POSTROUTING')).toEqual(rulesOf(current, 'mangle', 'POSTROUTING'));
  });

  it('even without preserve: only filter user chains need preserving', () => {
    const merged = merge(current, DESIRED, { preserve: [], takeover: ['ufw', 'tailscale', 'crowdsec'] });
    expect(rulesOf(merged, 'nat', 'POSTROUTING').slice(0, 3)).toEqual(rulesOf(current, 'nat', 'POSTROUTING'));
    expect(findChain(findTable(merged, 'nat'), 'DOCKER')).toBeDefined();
  });

  it('drops hand-made rules of filter built-ins, keeps known owners’ jumps and rules in order', () => {
    const merged = merge(current, DESIRED, claims);
    expect(rulesOf(merged, 'filter', 'INPUT')).toEqual([
      '-j ts-input',
      '-m set --match-set crowdsec-blacklists src -j DROP',
      '-j ufw-before-input',
      '-j CROWDSEC_CHAIN',
      '-m comment --comment fleet:base:jump -j FLEET-INPUT',
    ]);
    const d = diff(current, DESIRED, claims);
    expect(d.removed).toBe(1);
    expect(d.foreign.map((f) => `${f.table}/${f.chain}:${f.owner}`)).toEqual([
      'nat/DOCKER:docker',
      'filter/CROWDSEC_CHAIN:crowdsec',
      'filter/ts-input:tailscale',
      'filter/ufw-before-input:ufw',
    ]);
  });

  it('a tool taken over loses its chains and its rules', () => {
    const merged = merge(current, DESIRED, { ...claims, takeover: ['ufw', 'crowdsec'] });
    expect(rulesOf(merged, 'filter', 'INPUT')).toEqual([
      '-j ts-input',
      '-m comment --comment fleet:base:jump -j FLEET-INPUT',
    ]);
    expect(findChain(findTable(merged, 'filter'), 'ufw-before-input')).toBeUndefined();
  });

  it('planRestore: --noflush, kept chains never mentioned, taken-over chains deleted', () => {
    const plan = planRestore(current, DESIRED, { ...claims, takeover: ['ufw'] });
    expect(plan.noflush).toBe(true);
    expect(plan.text).not.toMatch(/^:DOCKER /m);
    expect(plan.text).not.toMatch(/^:ts-input /m);
    expect(plan.text).toContain('-F POSTROUTING');
    expect(plan.text).toContain(
      '-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE',
    );
    expect(plan.text).toContain('-X ufw-before-input');
  });

  it('a table fleet no longer writes keeps its foreign rules and policies, loses fleet’s', () => {
    const before = merge(current, DESIRED, claims);
    const withoutNat = { ...DESIRED, tables: DESIRED.tables.filter((t) => t.name !== 'nat') };
    const after = merge(before, withoutNat, claims);
    expect(rulesOf(after, 'nat', 'POSTROUTING')).toEqual(rulesOf(current, 'nat', 'POSTROUTING'));
  });

  it('exact claims (a backup) put the ruleset back whole', () => {
    expect(diff(current, current).empty).toBe(true);
    const back = merge(DESIRED, current, { preserve: [], exact: true });
    expect(diff(back, current).empty).toBe(true);
    expect(rulesOf(back, 'mangle', 'FORWARD')).toEqual([]);
  });
});
