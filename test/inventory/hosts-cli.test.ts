/** `fleet hosts` under plain node (the built CLI): what it prints and its exit codes. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const fleet = (...args: string[]) =>
  spawnSync('node', ['bin/fleet.js', '-C', 'examples', 'hosts', ...args], { encoding: 'utf8' });

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
});
