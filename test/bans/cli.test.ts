/**
 * `fleet ban|unban|bans` under plain node (the built CLI): refusals exit 2 before anything is
 * written or sent, and `bans list` reads a hand-written list. No host is ever contacted here:
 * the inventory's one host (a documentation address) is never reached.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'fleet-bans-cli-'));
mkdirSync(join(dir, 'inventory'));
writeFileSync(
  join(dir, 'inventory', 'hosts.yaml'),
  'settings:\n  management_sources: [198.51.100.0/28]\nhosts:\n  web-01: { address: 192.0.2.10 }\n',
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fleet(...args: string[]) {
  const r = spawnSync('node', ['bin/fleet.js', '-C', dir, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('fleet ban (built CLI)', () => {
  it('refuses bad input with every problem at once, exit 2, nothing written or sent', () => {
    const r = fleet('ban', '300.1.1.1', '198.51.100.3', '192.0.2.10', '0.0.0.0/0', '--ttl', 'soon');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--ttl "soon"');
    expect(r.err).toContain('"300.1.1.1" is not an IPv4 or IPv6 address or CIDR');
    expect(r.err).toContain('refusing to ban 198.51.100.3: it covers settings.management_sources');
    expect(r.err).toContain('refusing to ban 192.0.2.10: it covers inventory host web-01');
    expect(r.err).toMatch(/refusing to ban 0\.0\.0\.0\/0: it covers/);
    expect(r.err).toContain('hint: nothing was banned');
    expect(existsSync(join(dir, 'inventory', 'bans.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it('refuses a selector that picks no host before writing anything', () => {
    const r = fleet('ban', '203.0.113.7', '--on', 'db-*');
    expect(r.code).toBe(2);
    expect(r.err).toContain('picks no host');
    expect(existsSync(join(dir, 'inventory', 'bans.yaml'))).toBe(false);
  });

  it('bans list reads a hand-written list (the inventory loader skips bans.yaml)', () => {
    writeFileSync(
      join(dir, 'inventory', 'bans.yaml'),
      '# by hand\nbans:\n  - address: 203.0.113.7\n    reason: scanner\n  - address: 2001:db8::/32\n    expires: 2000-01-01T00:00:00Z\n',
    );
    const r = fleet('bans');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^203\.0\.113\.7\s+never\s+scanner/m);
    expect(r.out).toMatch(/^2001:db8::\/32\s+expired .* ago/m);
    expect(r.out).toContain('1 expired: run `fleet bans expire` to lift them');
    const json = JSON.parse(fleet('bans', 'list', '--json').out) as { address: string; expired: boolean }[];
    expect(json.map((b) => [b.address, b.expired])).toEqual([
      ['203.0.113.7', false],
      ['2001:db8::/32', true],
    ]);
    expect(fleet('hosts', 'all').out.trim()).toBe('web-01');
    expect(readFileSync(join(dir, 'inventory', 'bans.yaml'), 'utf8')).toContain('# by hand');
  });
});
