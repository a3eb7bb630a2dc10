import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS_SCRIPT, isMixedBackend, parseFacts } from '../../src/ops/facts.js';
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
    expect(facts.packageManager).toBe('apt');
    expect(facts.rulesV4).toBe(1);
    expect(facts.rulesV6).toBe(0);
    expect(live?.v4).toContain('-A INPUT -p tcp -m tcp --dport 5 -j DROP');
    expect(live?.v6).not.toBeNull();
    expect(isMixedBackend(facts)).toBe(false);
  });

  it('sees a host whose legacy and nft backends both hold rules as mixed', () => {
    inNs('iptables-legacy', '-A', 'INPUT', '-p', 'tcp', '--dport', '6', '-j', 'DROP');
    const { facts, live } = parseFacts(inNs('sh', '-c', FACTS_SCRIPT, 'fleet'));
    expect(facts.legacyRules).toBe(1);
    expect(facts.nftRules).toBe(1);
    expect(isMixedBackend(facts)).toBe(true);
    expect(live).toBeNull();
    inNs('iptables-legacy', '-F', 'INPUT');
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
