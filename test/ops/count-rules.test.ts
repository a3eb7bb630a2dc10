/**
 * `count_rules` (src/ops/backends.ts) run by the real sh: the rulesets reach awk in its
 * environment up to 30,000 characters each, larger ones as a here-document; both ways count the
 * same rules and held policies as the texts hold.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BACKENDS_FN } from '../../src/ops/backends.js';

/** An iptables-save text with `rules` rules in filter and a non-default INPUT policy. */
function save(rules: number, family: 4 | 6): string {
  const src = family === 4 ? '192.0.2.1/32' : '2001:db8::1/128';
  const lines = ['*filter', ':INPUT DROP [0:0]', ':FORWARD ACCEPT [0:0]', ':FLEET-INPUT - [0:0]'];
  for (let i = 0; i < rules; i++)
    lines.push(
      `-A FLEET-INPUT -s ${src} -p tcp -m tcp --dport ${1000 + i} -m comment --comment "fleet:x:r${i}" -j ACCEPT`,
    );
  return [...lines, 'COMMIT', ''].join('\n');
}

/** dash (Debian's sh) and bash (RHEL's sh, counting characters in a UTF-8 locale). */
const SHELLS = ['sh', 'bash'];

function countRules(s4: string, s6: string, as?: string, shell = 'sh'): string {
  const script = `have() { command -v "$1" >/dev/null 2>&1; }\n${BACKENDS_FN}\ncount_rules "$@"`;
  return execFileSync(shell, ['-c', script, 'fleet', s4, s6, ...(as ? [as] : [])], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
}

describe.each(SHELLS)('count_rules (%s)', (shell) => {
  // 3 rules (small), ~200 (over the 4 KB of a here-document dash writes itself), ~700 (over 30,000).
  for (const n of [3, 200, 700]) {
    it(`${n} IPv4 rules and half as many IPv6 ones`, () => {
      const s4 = save(n, 4);
      const s6 = save(Math.floor(n / 2), 6);
      expect(countRules(s4, s6, undefined, shell)).toBe(
        `${n} ${n + 1} ${Math.floor(n / 2)} ${Math.floor(n / 2) + 1}\n`,
      );
      expect(countRules(s4, s6, 'nft', shell)).toBe(
        `rules_v4=${n}\nrules_v6=${Math.floor(n / 2)}\nnft_held=${n + 1} ${Math.floor(n / 2) + 1}\n`,
      );
    });
  }

  it('the sizes cover both ways', () => {
    expect(save(200, 4).length).toBeGreaterThan(4096);
    expect(save(200, 4).length).toBeLessThan(30_000);
    expect(save(700, 4).length).toBeGreaterThan(30_000);
  });

  it('no second text: its counts are 0', () => {
    expect(countRules(save(2, 4), '', undefined, shell)).toBe('2 3 0 0\n');
  });
});
