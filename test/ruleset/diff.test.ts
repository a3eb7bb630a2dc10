/** diff and renderDiff on parsed text: order, policies, chains, preserve, context. */
import { describe, expect, it } from 'vitest';
import { diff, isForeignChain, merge, parseSave, renderDiff } from '../../src/ruleset/index.js';

const rs = (body: string) =>
  parseSave(`*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${body}COMMIT\n`, {
    family: 4,
  });

describe('diff', () => {
  it('is empty for the same rules written differently', () => {
    const a = rs('-A INPUT -p tcp --dport 22 -s 10.0.0.1 -j ACCEPT\n');
    const b = rs('-A INPUT -s 10.0.0.1/32 -p tcp -m tcp --dport 22 -j ACCEPT\n');
    expect(diff(a, b).empty).toBe(true);
    expect(renderDiff(diff(a, b))).toBe('');
  });

  it('prints added, removed and policy changes like a unified diff', () => {
    const cur = rs('-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 23 -j ACCEPT\n');
    const want = parseSave(
      '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n',
    );
    const d = diff(cur, want);
    expect([d.added, d.removed, d.policyChanges]).toEqual([1, 1, 1]);
    expect(renderDiff(d)).toBe(
      [
        '--- current (iptables)',
        '+++ desired (iptables)',
        '@@ filter INPUT @@',
        '-:INPUT DROP',
        '+:INPUT ACCEPT',
        ' -A INPUT -i lo -j ACCEPT',
        '--A INPUT -p tcp -m tcp --dport 23 -j ACCEPT',
        '+-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
        '',
      ].join('\n'),
    );
  });

  it('on a fresh host (no filter table loaded) shows the built-in policies turning DROP, no (new chain), no empty hunk', () => {
    const fresh = parseSave('', { family: 4 });
    const want = parseSave(
      '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:FLEET-SSH - [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n',
      { family: 4 },
    );
    const d = diff(fresh, want);
    expect(d.policyChanges).toBe(2);
    const text = renderDiff(d);
    expect(text).toContain('@@ filter INPUT @@\n-:INPUT ACCEPT\n+:INPUT DROP\n+-A INPUT -i lo -j ACCEPT\n');
    expect(text).toContain('@@ filter FORWARD @@\n-:FORWARD ACCEPT\n+:FORWARD DROP\n');
    expect(text).toContain('@@ filter FLEET-SSH @@ (new chain)');
    expect(text).not.toContain('OUTPUT');
    expect(text.match(/\(new chain\)/g)).toHaveLength(1);
  });

  it('sees a change of order', () => {
    const a = rs('-A INPUT -s 10.0.0.1 -j DROP\n-A INPUT -j ACCEPT\n');
    const b = rs('-A INPUT -j ACCEPT\n-A INPUT -s 10.0.0.1 -j DROP\n');
    expect(diff(a, b).empty).toBe(false);
  });

  it('reports new and deleted chains', () => {
    const a = rs(':OLD - [0:0]\n-A OLD -j RETURN\n');
    const b = rs(':NEW - [0:0]\n');
    const text = renderDiff(diff(a, b));
    expect(text).toContain('@@ filter NEW @@ (new chain)');
    expect(text).toContain('@@ filter OLD @@ (chain deleted)');
  });

  it('keeps preserved chains and their jumps out of the drift, and lists them apart', () => {
    const cur = rs(
      ':f2b-sshd - [0:0]\n-A INPUT -p tcp -j f2b-sshd\n-A INPUT -s 1.2.3.4 -j DROP\n-A f2b-sshd -s 5.6.7.8 -j REJECT\n',
    );
    const want = rs('');
    const d = diff(cur, want, { preserve: ['f2b-*'] });
    expect(d.removed).toBe(1);
    expect(d.foreign).toEqual([{ table: 'filter', chain: 'f2b-sshd', rules: 1, owner: 'fail2ban' }]);
    expect(renderDiff(d)).toContain('# preserved filter f2b-sshd (1 rules)');
    expect(renderDiff(d)).not.toContain('--A INPUT -p tcp -j f2b-sshd');
  });

  it('merge keeps foreign rules above fleet’s, and Docker’s interface rules with them', () => {
    const cur = rs(
      ':DOCKER - [0:0]\n-A FORWARD -o docker0 -j DOCKER\n-A FORWARD -i docker0 ! -o docker0 -j ACCEPT\n-A FORWARD -i eth9 -j ACCEPT\n',
    );
    const want = rs('-A FORWARD -m comment --comment fleet:x:y -j DROP\n');
    const forward = merge(cur, want, ['DOCKER*']).tables[0]!.chains.find((c) => c.name === 'FORWARD')!;
    expect(forward.rules.map((r) => r.args.join(' '))).toEqual([
      '-o docker0 -j DOCKER',
      '-i docker0 ! -o docker0 -j ACCEPT',
      '-m comment --comment fleet:x:y -j DROP',
    ]);
  });

  it('shows only context around changes in long chains', () => {
    const many = (n: number, extra: string) =>
      rs(Array.from({ length: n }, (_, i) => `-A INPUT -s 10.0.${i}.1 -j DROP\n`).join('') + extra);
    const text = renderDiff(diff(many(50, ''), many(50, '-A INPUT -j ACCEPT\n')), { context: 2 });
    expect(text.split('\n').filter((l) => l.startsWith(' -A'))).toHaveLength(2);
    expect(text).toContain(' ...');
  });

  it('matches preserve globs on whole names', () => {
    expect(isForeignChain('DOCKER-USER', ['DOCKER*'])).toBe(true);
    expect(isForeignChain('MYDOCKER', ['DOCKER*'])).toBe(false);
    expect(isForeignChain('f2b-sshd', ['f2b-?shd'])).toBe(true);
  });
});
