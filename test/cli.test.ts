import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Smoke test of the built CLI under plain node (vitest would hide ESM import problems).
describe('fleet --help', () => {
  it('lists the commands with one line each', () => {
    const out = execFileSync('node', ['bin/fleet.js', '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/^\s+lab\s+\S.*$/m);
    expect(out).toContain('Exit codes:');
  });
});

describe('exit codes', () => {
  const run = (...args: string[]) => {
    try {
      execFileSync('node', ['bin/fleet.js', ...args], { encoding: 'utf8', stdio: 'pipe' });
      return 0;
    } catch (e) {
      return (e as { status: number }).status;
    }
  };

  it('a usage error exits 2, like every input error; help exits 0', () => {
    expect(run('apply')).toBe(2);
    expect(run('no-such-command')).toBe(2);
    expect(run('apply', 'all', '--no-such-flag')).toBe(2);
    expect(run('--help')).toBe(0);
  });
});
