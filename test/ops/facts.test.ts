import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS_SCRIPT, isMixedBackend, mixedBackend, parseFacts } from '../../src/ops/facts.js';
import { parseSections } from '../../src/ops/sections.js';

// The facts script run by real sh against real iptables in a namespace of this machine
// (the SSH path is covered by the lab tests; this checks the script and its parser).
const ns = `fleet-facts-${process.pid}`;
const inNs = (...argv: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8' });

describe('facts script', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns]);
    inNs('iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '5', '-j', 'DROP');
  });
  afterAll(() => execFileSync('ip', ['netns', 'del', ns]));

  it('reports the backend, tools and rule counts, and the live rules when asked', () => {
    const { facts, live } = parseFacts(inNs('sh', '-c', FACTS_SCRIPT, 'fleet', 'save'));
    expect(facts.iptables).toBe('nft');
    // From the read's header, as `iptables -V` says it (no process for it).
    expect(facts.iptablesVersion).toBe(inNs('iptables', '-V').trim());
    expect(facts.packageManager).toBe('apt');
    expect(facts.rulesV4).toBe(1);
    expect(facts.rulesV6).toBe(0);
    expect(facts.backends).toEqual({ legacy: { v4: 0, v6: 0 }, nft: { v4: 1, v6: 0 } });
    expect(live?.v4).toContain('-A INPUT -p tcp -m tcp --dport 5 -j DROP');
    expect(live?.v6).not.toBeNull();
    expect(isMixedBackend(facts)).toBe(false);
    expect(facts.activeTools).toEqual([]); // no ufw or firewalld running here (the lab test has one)
  });

  it('sees a host whose legacy and nft backends both hold rules as mixed', () => {
    inNs('iptables-legacy', '-A', 'INPUT', '-p', 'tcp', '--dport', '6', '-j', 'DROP');
    const { facts, live } = parseFacts(inNs('sh', '-c', FACTS_SCRIPT, 'fleet'));
    expect(facts.backends).toEqual({ legacy: { v4: 1, v6: 0 }, nft: { v4: 1, v6: 0 } });
    expect(isMixedBackend(facts)).toBe(true);
    expect(live).toBeNull();
    inNs('iptables-legacy', '-F', 'INPUT');
  });

  it('on a host with no table to read (no header to take the version from): asks iptables -V', () => {
    const empty = `${ns}-empty`;
    execFileSync('ip', ['netns', 'add', empty]);
    try {
      const run = (...argv: string[]) =>
        execFileSync('ip', ['netns', 'exec', empty, ...argv], { encoding: 'utf8' });
      expect(run('iptables-save')).toBe('');
      const { facts } = parseFacts(run('sh', '-c', FACTS_SCRIPT, 'fleet', 'save'));
      expect([facts.iptables, facts.iptablesVersion]).toEqual(['nft', run('iptables', '-V').trim()]);
    } finally {
      execFileSync('ip', ['netns', 'del', empty]);
    }
  });

  it('counts IPv6 rules apart from IPv4 ones', () => {
    inNs('ip6tables', '-A', 'INPUT', '-p', 'tcp', '--dport', '7', '-j', 'DROP');
    inNs('ip6tables', '-A', 'INPUT', '-p', 'tcp', '--dport', '8', '-j', 'DROP');
    const { facts, live } = parseFacts(inNs('sh', '-c', FACTS_SCRIPT, 'fleet', 'save'));
    expect([facts.rulesV4, facts.rulesV6]).toEqual([1, 2]);
    expect(live?.v6).toContain('--dport 8 -j DROP');
    inNs('ip6tables', '-F', 'INPUT');
  });

  it('on a host whose iptables is the legacy backend: its rules, and the nft ones apart', () => {
    // `iptables` and `iptables-save` are the legacy ones, first in PATH.
    const bin = mkdtempSync(join(tmpdir(), 'fleet-legacy-'));
    for (const name of ['iptables', 'iptables-save', 'ip6tables', 'ip6tables-save'])
      symlinkSync(`/usr/sbin/${name.replace(/^(ip6?tables)/, '$1-legacy')}`, join(bin, name));
    try {
      inNs('iptables-legacy', '-A', 'INPUT', '-p', 'tcp', '--dport', '9', '-j', 'DROP');
      inNs('iptables-legacy', '-A', 'INPUT', '-p', 'tcp', '--dport', '10', '-j', 'DROP');
      const env = `PATH=${bin}:/usr/sbin:/usr/bin:/sbin:/bin`;
      const { facts, live } = parseFacts(inNs('env', env, 'sh', '-c', FACTS_SCRIPT, 'fleet', 'save'));
      expect(facts.iptables).toBe('legacy');
      expect(facts.iptablesVersion).toBe(inNs('iptables-legacy', '-V').trim());
      expect(facts.rulesV4).toBe(2);
      expect(facts.backends).toEqual({ legacy: { v4: 2, v6: 0 }, nft: { v4: 1, v6: 0 } });
      expect(isMixedBackend(facts)).toBe(true);
      expect(live?.v4).toContain('--dport 10 -j DROP');
      expect(live?.v4).not.toContain('--dport 5 ');
    } finally {
      inNs('iptables-legacy', '-F', 'INPUT');
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('counts both families in both backends, and non-default policies as held', () => {
    inNs('ip6tables-legacy', '-A', 'INPUT', '-p', 'tcp', '--dport', '11', '-j', 'DROP');
    inNs('ip6tables', '-P', 'FORWARD', 'DROP');
    try {
      const { facts } = parseFacts(inNs('sh', '-c', FACTS_SCRIPT, 'fleet'));
      expect(facts.backends).toEqual({ legacy: { v4: 0, v6: 1 }, nft: { v4: 1, v6: 1 } });
      expect(isMixedBackend(facts)).toBe(true);
      expect(mixedBackend(facts)).toMatch(
        /^both iptables backends hold rules \(legacy: 1 IPv6, nft: 1 IPv4 and 1 IPv6 .*only nft .*empty legacy/,
      );
      inNs('ip6tables-legacy', '-F', 'INPUT');
      inNs('ip6tables-legacy', '-P', 'OUTPUT', 'DROP');
      const policy = parseFacts(inNs('sh', '-c', FACTS_SCRIPT, 'fleet')).facts;
      expect(policy.backends.legacy).toEqual({ v4: 0, v6: 1 });
    } finally {
      inNs('ip6tables-legacy', '-P', 'OUTPUT', 'ACCEPT');
      inNs('ip6tables', '-P', 'FORWARD', 'ACCEPT');
    }
    const { facts } = parseFacts(inNs('sh', '-c', FACTS_SCRIPT, 'fleet'));
    expect(mixedBackend(facts)).toBeUndefined();
  });

  it('refuses output that was cut short', () => {
    expect(() => parseFacts('@@fleet:facts\nos=debian\n')).toThrow(/cut short/);
  });
});

describe('sections', () => {
  it('splits marked sections and ignores output before the first marker', () => {
    const s = parseSections('noise\n\n@@fleet:a\nx\ny\n\n@@fleet:b\n\n@@fleet:end\n');
    expect([...s.keys()]).toEqual(['a', 'b', 'end']);
    expect(s.get('a')).toBe('x\ny');
    expect(s.get('b')).toBe('');
  });
});
