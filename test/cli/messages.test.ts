/** Messages that say what to do: the built CLI under plain node, on repositories made here (loopback hosts). */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtFleet, loopbackRepo, ROOT } from '../support/built-cli.js';

const dirs: string[] = [];

const fleet = builtFleet;

/** The shipped profiles and one host on loopback (nothing here gets as far as connecting). */
function repo(host = '  web-01: { address: 127.0.0.2, groups: [web-servers] }\n'): string {
  const dir = loopbackRepo('msg', host);
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('messages that point the right way', () => {
  it('a lockout refused by plan says how to proceed: --force, and the watchdog still protects', () => {
    const dir = repo('  db-09: { address: 127.0.0.3, port: 2222, groups: [db-servers] }\n');
    const r = fleet(dir, 'plan', 'all');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lockout guard: host db-09');
    expect(r.stderr).toMatch(/hint: .*--force.*watchdog/);
    expect(r.stderr).not.toContain('fleet validate');
  });

  it('a YAML syntax error in a profile is reported as that, with file:line:col, not as an unknown profile', () => {
    const dir = repo();
    writeFileSync(
      path.join(dir, 'profiles/web-servers.yaml'),
      'extends: base\nservices:\n  http: { port: 80\n',
    );
    const r = fleet(dir, 'validate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/profiles\/web-servers\.yaml:\d+:\d+ malformed YAML/);
    expect(r.stderr).not.toContain('unknown profile');
  });

  it('an address set no profile uses is validated too', () => {
    const dir = repo();
    const sets = path.join(dir, 'profiles/sets.yaml');
    writeFileSync(
      sets,
      readFileSync(sets, 'utf8').replace(
        /^sets:$/m,
        'sets:\n  unused: [10.0.0.300/8]\n  loop-a: [loop-b]\n  loop-b: [loop-a]',
      ),
    );
    const r = fleet(dir, 'validate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /profiles\/sets\.yaml:\d+:\d+ sets\.unused\[0\]: "10\.0\.0\.300\/8" is not a valid address/,
    );
    expect(r.stderr).toMatch(/sets\.loop-a\[0\]: address sets include each other in a cycle/);
  });

  it('an argument holding escape sequences is echoed without them', () => {
    const dir = repo();
    const bad = fleet(dir, 'plan', 'web\u001b]0;pwned\u0007\u001b[2J\u009b31m');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"web');
    expect(bad.stderr).not.toMatch(CONTROL);
    const flag = fleet(dir, 'plan', 'all', '--x\u001b[2J');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--x");
    expect(flag.stderr).not.toMatch(CONTROL);
  });
});

describe('operator contract', () => {
  it('fleet --version prints the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const r = fleet(ROOT, '--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('restore takes exactly one host unless --all-selected (exit 2, naming the hosts)', () => {
    const dir = repo(
      '  web-01: { address: 127.0.0.2, groups: [web-servers] }\n  web-02: { address: 127.0.0.3, groups: [web-servers] }\n',
    );
    const r = fleet(dir, 'restore', 'web-servers', '--at', '2026-01-01T00:00Z');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('restore takes one host, and "web-servers" picks 2: web-01, web-02');
    expect(r.stderr).toContain('--all-selected');
  });

  it('plan --detailed-exitcode: an input error is 1, so that 2 only ever means changes pending', () => {
    const dir = repo('  db-09: { address: 127.0.0.3, port: 2222, groups: [db-servers] }\n');
    expect(fleet(dir, 'plan', 'all').code).toBe(2);
    expect(fleet(dir, 'plan', 'all', '--detailed-exitcode').code).toBe(1);
  });
});
