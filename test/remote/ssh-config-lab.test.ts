/**
 * ssh_config where the inventory is silent, on a real lab host: `-F cfg` names User fleet-sudo
 * for the host's address and the inventory names no user, so fleet logs in as fleet-sudo (and
 * runs through sudo -n); an inventory `user:` still wins, like `ssh -l`. The config's
 * `Match exec` line is warned about once, with file:line, though loading and connecting both
 * read it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetCli } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ name: 'sshcfg', count: 1 });
const dir = mkdtempSync(path.join(tmpdir(), 'fleet-sshcfg-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(user: string | undefined): { inventory: string; config: string } {
  const info = lab();
  const h = info.hosts[0]!;
  const inventory = path.join(dir, `inv-${user ?? 'silent'}.yaml`);
  writeFileSync(
    inventory,
    [
      `settings: { known_hosts: ${info.knownHostsPath}, management_sources: [${info.workstation.v4}/32] }`,
      `defaults: { identity: ${info.identityPath}${user ? `, user: ${user}` : ''} }`,
      `hosts:\n  ${h.name}: { address: ${h.address} }`,
      '',
    ].join('\n'),
  );
  const config = path.join(dir, 'ssh_config');
  writeFileSync(
    config,
    `Match exec "test -e /nonexistent"\n  Port 2\nHost ${h.address}\n  User fleet-sudo\n  Port 22\n`,
  );
  return { inventory, config };
}

const WHO = 'echo "$SUDO_USER:$(id -u)"';

describe('ssh_config User and Port where the inventory is silent (lab)', () => {
  it('logs in as the User ssh_config names, through sudo', async () => {
    const f = files(undefined);
    const r = await fleetCli(dir, 'exec', 'all', '-i', f.inventory, '-F', f.config, '--', WHO);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('fleet-sudo:0\n');
    const warnings = r.stderr.split('\n').filter((l) => l.includes('Match exec'));
    expect(warnings).toEqual([
      `fleet: warning: ssh_config ${f.config}:1: Match exec "test -e /nonexistent" is not run by fleet; treated as not matching`,
    ]);
  });

  it('lets the inventory user win, like ssh -l', async () => {
    const f = files('root');
    const r = await fleetCli(dir, 'exec', 'all', '-i', f.inventory, '-F', f.config, '--', WHO);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('\n:0\n');
  });
});
