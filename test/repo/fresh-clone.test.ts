/**
 * The repository stands alone: a git clone of this checkout's HEAD, built in place, with nothing
 * beside it (no shared corpus folder), answers validate, hosts and compile from its own files and says
 * where they come from. Only offline commands run here: the example fleet's addresses are
 * documentation addresses, and nothing may connect to them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let top: string;
let clone: string;

function fleet(cwd: string, ...args: string[]) {
  const r = spawnSync('node', [path.join(clone, 'bin/fleet.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  top = mkdtempSync(path.join(tmpdir(), 'fleet-clone-'));
  clone = path.join(top, 'fleet');
  execFileSync('git', ['clone', '-q', ROOT, clone]);
  // Dependencies as `npm ci` would install them, one level up so the clone's tree stays untouched.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(top, 'node_modules'));
  execFileSync('node', [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: clone,
  });
}, 600_000);

afterAll(() => {
  if (top) rmSync(top, { recursive: true, force: true });
});

describe('a fresh clone', () => {
  it('validates the shipped example fleet and says where inventory and profiles come from', () => {
    const r = fleet(clone, 'validate');
    expect(r.stderr).not.toContain('management" is empty');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('inventory: the example fleet');
    expect(r.stdout).toContain('inventory/example/common.yaml');
    expect(r.stdout).toMatch(/^profiles: +profiles\/ \(base, bastion, db-servers, web-servers\)$/m);
    expect(r.stdout).toMatch(/^ok: 19 hosts compile/m);
  });

  it('lists hosts (one per line on stdout, where they come from on stderr)', () => {
    const r = fleet(clone, 'hosts', 'all');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(19);
    expect(r.stderr).toContain('reading the example fleet');
  });

  it('compiles one host and names its inventory line and profile file', () => {
    const r = fleet(clone, 'compile', 'web-eu-01');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# fleet: profile web-servers, host web-eu-01\n/);
    expect(r.stdout).toContain('\n*filter\n');
    expect(r.stderr).toMatch(
      /host web-eu-01 \(inventory\/example\/prod\.yaml:\d+:3\) compiled from profiles\/web-servers\.yaml/,
    );
  });

  it('leaves the clone clean (git status shows nothing)', () => {
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' });
    expect(status).toBe('');
  });

  it('stops reading the example once inventory/ has a file of its own (as `fleet lab up` writes)', () => {
    const own = path.join(clone, 'inventory', 'lab.yaml');
    writeFileSync(
      own,
      'settings: { management_sources: [192.0.2.10/32] }\ngroups: { web-servers: { profile: web-servers } }\nhosts:\n  lab-1: { address: 192.0.2.201, groups: [web-servers] }\n',
    );
    try {
      const r = fleet(clone, 'hosts', 'all');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('lab-1\n');
      expect(r.stderr).not.toContain('example');
      // Named with -i (as FLEET_INVENTORY=inventory would), the folder reads the same way.
      expect(fleet(clone, 'hosts', 'all', '-i', 'inventory').stdout).toBe('lab-1\n');
      const status = execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' });
      expect(status).toBe(''); // inventory/lab*.yaml is ignored by git
    } finally {
      rmSync(own);
    }
  });
});

describe('an empty directory', () => {
  it('is one clear error, exit 2, not "ok: 0 hosts"', () => {
    const empty = path.join(top, 'empty');
    mkdirSync(empty);
    for (const args of [['validate'], ['hosts', 'all'], ['compile', 'web-01']]) {
      const r = fleet(empty, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('fleet: no inventory: run `fleet lab up` or pass -i');
    }
  });

  it('lists an Ansible inventory given with -i: `fleet hosts` needs no profiles', () => {
    const dir = path.join(top, 'ansible-only');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'hosts'), '[web]\nweb-01 ansible_host=192.0.2.1 ansible_user=deploy\n');
    const r = fleet(dir, 'hosts', 'web', '-i', 'hosts', '-F', '/dev/null', '-v');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('web-01\tdeploy@192.0.2.1:22\t-\tweb\n');
  });
});
