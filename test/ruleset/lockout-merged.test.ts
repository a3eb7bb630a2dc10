/**
 * The lockout guard on the merged rules (pure): fleet's compiled rules beside the host's rules
 * it keeps. An inactive ufw's chains (a real dump) cut SSH; a profile that takes ufw over does
 * not; what the simulation decides on foreign rules (marks, addrtype, rpfilter, known owners'
 * ban sets and interfaces) and what it leaves undecided, then refuses as "may".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/ops/host-plan.js';
import { compile, type Packet, parseSave, simulate } from '../../src/ruleset/index.js';
import { IPTABLES_SAVE_CORPUS } from '../support/corpus.js';
import { base, HOST, MGMT } from './fixtures/profiles.js';

const dumpText = (file: string) => readFileSync(join(IPTABLES_SAVE_CORPUS, file), 'utf8');
const UFW = dumpText('061-ufw-default-chains-user-rules-2022.rules');
const KUBE = dumpText('009-kube-proxy-kind-node-traefik.rules');
const CILIUM = dumpText('069-cilium-kube-proxy-ipvs-annotated-2023.rules');

function refusal(live: string, extra: Partial<typeof base> = {}, force = false): string | undefined {
  const profile = { ...base, preserve: ['known-owners'], ...extra };
  const compiled = compile({ profile, host: HOST, managementSources: MGMT, force });
  return planHost({ v4: live, v6: null }, compiled, false).coexistence.refused;
}

/** A filter table with one preserved chain of `tool`'s, jumped to first from INPUT. */
function withChain(chain: string, rules: string[], table = 'filter'): string {
  const builtins =
    table === 'filter'
      ? ['INPUT', 'FORWARD', 'OUTPUT']
      : ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
  const hook = table === 'filter' ? 'INPUT' : 'PREROUTING';
  return [
    `*${table}`,
    ...builtins.map((b) => `:${b} ACCEPT [0:0]`),
    `:${chain} - [0:0]`,
    `-A ${hook} -j ${chain}`,
    ...rules.map((r) => `-A ${chain} ${r}`),
    'COMMIT',
    '',
  ].join('\n');
}

/** A new SSH connection from a peer that is not a management source. */
const PEER_SYN: Packet = {
  family: 4,
  peer: '198.51.100.7/32',
  direction: 'in',
  sshPort: 22,
  peerPort: 40000,
  state: 'NEW',
  flags: ['SYN'],
};

describe('lockout guard on the merged rules', () => {
  it("refuses an inactive ufw's host: its DROP stays above fleet's accept; names the chain, the tool and the fix", () => {
    const why = refusal(UFW);
    expect(why).toContain(
      'lockout guard: SSH (tcp/22) from management source 192.0.2.10/32 would not get in',
    );
    expect(why).toContain("ufw's chain ufw-user-input (filter rule -A ufw-user-input -j DROP) drops it");
    expect(why).toContain('add `takeover: [ufw]` to profile base');
    expect(why).toContain('or pass --force');
  });

  it('lets the host go when the profile takes ufw over (its chains go), or with --force', () => {
    expect(refusal(UFW, { takeover: ['ufw'] })).toBeUndefined();
    expect(refusal(UFW, {}, true)).toBeUndefined();
  });

  it("follows marks: kube-proxy's mark-drop rule drops only what something surely marked", () => {
    expect(refusal(KUBE)).toBeUndefined();
    const marked = withChain('KUBE-FIREWALL', [
      '-j MARK --set-xmark 0x8000/0x8000',
      '-m mark --mark 0x8000/0x8000 -j DROP',
    ]);
    expect(refusal(marked)).toContain("kubernetes's chain KUBE-FIREWALL");
    const other = withChain('KUBE-FIREWALL', [
      '-j MARK --set-xmark 0x4000/0x4000',
      '-m mark --mark 0x8000/0x8000 -j DROP',
    ]);
    expect(refusal(other)).toBeUndefined();
  });

  it('follows marks bit by bit: a rule that only may mark leaves the bits it does not set known', () => {
    // a Cilium node (069): mangle's socket-matched MARK 0x200 and kube-proxy's set-matched
    // KUBE-MARK-MASQ may run; neither sets 0x8000, so KUBE-FIREWALL's mark drop cannot match
    expect(refusal(CILIUM)).toBeUndefined();
    const mangle = (mark: string) =>
      `${withChain('CILIUM_PRE_mangle', [`-m socket --transparent -j MARK --set-xmark ${mark}`], 'mangle')}${withChain('KUBE-FIREWALL', ['-m mark --mark 0x8000/0x8000 -j DROP'])}`;
    expect(refusal(mangle('0x200/0xffffffff'))).toBeUndefined();
    const may = refusal(mangle('0x8000/0x8000'));
    expect(may).toContain("kubernetes's chain KUBE-FIREWALL (filter rule -A KUBE-FIREWALL");
    expect(may).toContain('may not get in');
    // or-mark and and-mark: the bits they force are known, the rest as before
    expect(
      refusal(
        withChain('KUBE-FIREWALL', [
          '-j MARK --or-mark 0x8000',
          '-m mark ! --mark 0x8000/0x8000 -j ACCEPT',
          '-j DROP',
        ]),
      ),
    ).toContain('would not get in');
    expect(
      refusal(
        withChain('KUBE-FIREWALL', ['-j MARK --and-mark 0x7fff', '-m mark --mark 0x8000/0x8000 -j DROP']),
      ),
    ).toBeUndefined();
  });

  it("takes known owners' ban sets and interfaces not to hold the management path; other sets may", () => {
    expect(
      refusal(withChain('f2b-sshd', ['-m set --match-set f2b-sshd src -j REJECT', '-j RETURN'])),
    ).toBeUndefined();
    expect(refusal(withChain('DOCKER-USER', ['-i docker0 -j DROP', '-j RETURN']))).toBeUndefined();
    const set = refusal(withChain('f2b-sshd', ['-m set --match-set blocklist src -j DROP', '-j RETURN']));
    expect(set).toContain('may not get in');
    expect(set).toContain(
      "fail2ban's chain f2b-sshd (filter rule -A f2b-sshd -m set --match-set blocklist src -j DROP) may drop it",
    );
  });

  it('makes those assumptions for a management source only: a probe about any peer keeps them maybe', () => {
    const rs = parseSave(withChain('f2b-sshd', ['-m set --match-set f2b-sshd src -j REJECT']), { family: 4 });
    expect(simulate(rs, PEER_SYN).accepted).toBe(false);
    expect(simulate(rs, { ...PEER_SYN, management: true }).accepted).toBe(true);
  });

  it("a chain that surely accepts ends its walk even when entered on a maybe (firewalld's zone gotos)", () => {
    const zones = [
      '*filter',
      ':INPUT DROP [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':INPUT_ZONES - [0:0]',
      ':IN_public - [0:0]',
      '-A INPUT -j INPUT_ZONES',
      '-A INPUT_ZONES -i eth9 -g IN_public',
      '-A INPUT_ZONES -g IN_public',
      '-A IN_public -p tcp -m tcp --dport 22 -j ACCEPT',
      'COMMIT',
      '',
    ].join('\n');
    expect(simulate(parseSave(zones, { family: 4 }), PEER_SYN)).toEqual({ accepted: true });
  });

  it('decides addrtype and rpfilter for a packet to the host from a routable source', () => {
    const ok = ['-m addrtype --dst-type LOCAL -j RETURN', '-j DROP'];
    expect(refusal(withChain('ufw-not-local', ok))).toBeUndefined();
    expect(refusal(withChain('MYRAW', ['-m rpfilter --invert -j DROP'], 'mangle'))).toBeUndefined();
  });

  it('names a policy fleet does not set, and a foreign redirect in nat', () => {
    const mangle =
      '*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';
    expect(refusal(mangle)).toContain('the mangle INPUT policy DROP (fleet does not write mangle) drops it');
    const nat =
      '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j REDIRECT --to-ports 9040\nCOMMIT\n';
    expect(refusal(nat)).toContain(
      '(nat rule -A PREROUTING -p tcp -j REDIRECT --to-ports 9040) redirects it',
    );
  });
});
