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
