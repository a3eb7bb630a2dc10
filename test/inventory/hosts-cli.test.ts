/** `fleet hosts` under plain node (the built CLI): what it prints and its exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The shipped example fleet, named with -i (a later -i wins), and an ssh_config that says nothing. */
const fleet = (...args: string[]) =>
  spawnSync('node', ['bin/fleet.js', 'hosts', '-i', 'inventory/example', '-F', '/dev/null', ...args], {
    encoding: 'utf8',
  });

describe('fleet hosts', () => {
  it('prints one host per line and exits 0', () => {
    const r = fleet('prod:&eu:!db*');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('bastion-eu-1\nweb-eu-01\nweb-eu-02\nweb-eu-03\nmon-eu-01\n');
  });

  it('applies --limit and prints details with -v', () => {
    const r = fleet('db-servers', '--limit', 'staging', '-v');
    expect(r.stdout.split('\n')[0]).toBe('stg-db-01\troot@198.51.100.81:22\tdb-servers\tdb-servers,staging');
  });

  it('says so and exits 2 when the selector picks nothing', () => {
    const r = fleet('webservers');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'selector "webservers" picks no host: "webservers" matches no group or host (did you mean "web-servers"?)',
    );
  });

  it('reads an Ansible inventory given with -i', () => {
    const r = fleet('prod:&web', '-i', 'test/fixtures/ansible/hosts.ini');
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['web-01', 'web-02', 'web-03', 'web-04']);
  });

  it('exits 2 with file:line:col for bad input, before anything else', () => {
    const r = fleet('all', '-i', 'test/fixtures/inventory-bad/hosts.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^(fleet: )?test\/fixtures\/inventory-bad\/hosts\.yaml:4:11 hosts\.web-01\.port: port must be/m,
    );
  });

  it('takes Port (and User) from -F where the inventory is silent; the inventory wins elsewhere', () => {
    const cfg = tempConfig('Host 198.51.100.71\n  User nobody\n  Port 2200\n');
    const r = fleet('stg-web-01,web-eu-01', '-v', '-F', cfg);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'stg-web-01\troot@198.51.100.71:2200\tweb-servers\tweb-servers,staging',
      'web-eu-01\tdeploy@192.0.2.11:22\tweb-servers\tweb-servers,prod-eu,prod,eu',
    ]);
  });

  it('refuses -F of a missing file (exit 2), as ssh does', () => {
    const r = fleet('all', '-F', '/nonexistent/ssh_config');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('fleet: -F "/nonexistent/ssh_config": no such ssh_config file');
  });

  it('warns once, with file:line, about an ssh_config line it does not honour', () => {
    const cfg = tempConfig('Host *\n  ServerAliveInterval 30\nMatch exec "true"\n  User nobody\n');
    const r = fleet('all', '-F', cfg);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `fleet: warning: ssh_config ${cfg}:3: Match exec "true" is not run by fleet; treated as not matching`,
    ]);
  });
});

function tempConfig(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fleet-sshcfg-')), 'config');
  writeFileSync(file, text);
  return file;
}
