/**
 * On a real lab host: what a host writes cannot reach the operator's terminal, and the files
 * fleet leaves (on the workstation and on the host) are 0600 in 0700 folders under umask 022.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { repoWithProfiles } from '../apply/helpers.js';
import { fleetOnLab as fleet } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ name: 'topx', count: 1, group: 'web-servers' });
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
let dir: string;
let umask: number;
const host = () => lab().hosts[0]!.name;

async function hostMode(path: string): Promise<string> {
  const r = await labHostExec(lab(), host(), ['stat', '-c', '%a', path]);
  return r.ok ? r.stdout.trim() : `missing (${r.stderr.trim()})`;
}

describe('what hosts send and what fleet leaves', () => {
  beforeAll(() => {
    dir = repoWithProfiles('opx');
    umask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umask);
  });

  it('facts: escape sequences in a host /etc/os-release reach neither stdout nor stderr', async () => {
    // printf turns the octal escapes into ESC, BEL and the 8-bit CSI on the host.
    const evil = 'ID="deb\\033]0;pwned\\007\\033[2J\\233"\nVERSION_ID=12\n';
    const w = await labHostExec(lab(), host(), [
      'sh',
      '-c',
      'rm -f /etc/os-release && printf "$1" > /etc/os-release',
      'sh',
      evil,
    ]);
    expect(w.ok, w.stderr).toBe(true);
    const run = await fleet(dir, lab(), 'facts', 'all');
    expect(run.code, run.stderr).toBe(0);
    // The host did send them (the JSON report keeps its data as sent, escaped) ...
    expect(String((run.report!.hosts[0]!.data!.facts as { os: string }).os)).toContain('\u001b]0;pwned');
    // ... and the terminal saw none of them.
    expect(run.stdout).toContain('deb');
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stderr).not.toMatch(CONTROL);
  });

  it('after apply: backups/ and reports/ 0700 with 0600 files; the host boot files 0600', async () => {
    const run = await fleet(dir, lab(), 'apply', 'all', '--canary', '0', '--confirm-timeout', '10');
    expect(run.code, run.stderr).toBe(0);
    const backups = join(dir, 'backups', host());
    expect([mode(join(dir, 'backups')), mode(backups), mode(join(dir, 'reports'))]).toEqual([
      '700',
      '700',
      '700',
    ]);
    for (const f of readdirSync(backups)) expect(`${f} ${mode(join(backups, f))}`).toBe(`${f} 600`);
    expect(mode(run.reportPath!)).toBe('600');
    expect(await hostMode('/etc/iptables/rules.v4')).toBe('600');
    expect(await hostMode('/etc/iptables/rules.v6')).toBe('600');
  });

  it('after ban: inventory/bans.yaml 0600; the host boot files and ipsets 0600', async () => {
    const run = await fleet(dir, lab(), 'ban', '198.51.100.77', '--reason', 'test', '--ttl', '1h');
    expect(run.code, run.stderr).toBe(0);
    expect(mode(join(dir, 'inventory', 'bans.yaml'))).toBe('600');
    expect(await hostMode('/etc/iptables/rules.v4')).toBe('600');
    const sets = await hostMode('/etc/iptables/ipsets');
    if (!sets.startsWith('missing')) expect(sets).toBe('600');
  });
});
