/**
 * apply's prompt on a real pseudo-terminal (util-linux `script`), against a real lab host: the
 * plan is shown first and only `yes` changes the host; no terminal, or --yes, asks nothing; a
 * host that changed between the prompt and its swap is refused, not applied differently.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import type { RunReport } from '../../src/model/result.js';
import { useLab } from '../support/lab.js';
import { fleetOnPty } from '../support/pty.js';
import { hostRules, listDir, repoWithProfiles } from './helpers.js';

const lab = useLab({ name: 'tprompt', count: 1, group: 'web-servers' });
const PROMPT = "Only 'yes' is accepted:";
const BACKUPS = '/var/backups/fleet';
let dir: string;
let host: string;

const apply = (...extra: string[]) => ['-C', dir, 'apply', host, '-i', lab().inventoryPath, ...extra];

/** Let every apply change the host: a new port in the profile. */
function servePort(port: number): void {
  writeFileSync(
    join(dir, 'profiles/web-servers.yaml'),
    `extends: base\nservices:\n  http: { port: ${port} }\n`,
  );
}

function newestReport(): RunReport {
  const r = spawnSync('sh', ['-c', 'ls -1t "$1"/reports/*-apply.json | head -1', 'sh', dir], {
    encoding: 'utf8',
  });
  return JSON.parse(spawnSync('cat', [r.stdout.trim()], { encoding: 'utf8' }).stdout) as RunReport;
}

describe('fleet apply on a terminal asks first', () => {
  beforeAll(() => {
    dir = repoWithProfiles('prompt');
    host = lab().hosts[0]!.name;
  });

  it('shows the diff and, answered "n", changes nothing (same rules, no backup), exit 3', async () => {
    const rules = await hostRules(lab(), host);
    const run = await fleetOnPty(apply(), { prompt: PROMPT, answer: 'n' });
    expect(run.asked, run.screen).toBe(true);
    expect(run.code, run.screen).toBe(3);
    expect(run.screen).toContain('+:INPUT DROP');
    expect(run.screen).toContain('\u001b[32m+'); // coloured on a terminal
    expect(run.screen).toContain('Apply these changes to 1 host?');
    expect(run.screen).toContain('nothing changed');
    expect(await hostRules(lab(), host)).toBe(rules);
    expect(await listDir(lab(), host, BACKUPS)).toEqual([]);
  });

  it('answered "yes", applies what it showed', async () => {
    const run = await fleetOnPty(apply(), { prompt: PROMPT, answer: 'yes' });
    expect(run.code, run.screen).toBe(0);
    expect(newestReport().hosts[0]?.status).toBe('changed');
    expect(await hostRules(lab(), host)).toContain(':INPUT DROP');
    expect((await listDir(lab(), host, BACKUPS)).length).toBeGreaterThan(0);
  });

  it('--yes on a terminal asks nothing and applies', async () => {
    servePort(8001);
    const run = await fleetOnPty(apply('--yes'), { prompt: PROMPT });
    expect(run.asked, run.screen).toBe(false);
    expect(run.code, run.screen).toBe(0);
    expect(await hostRules(lab(), host)).toContain('--dport 8001');
  });

  it('without a terminal asks nothing and applies, printing the diff it applied', () => {
    servePort(8002);
    const bin = join(import.meta.dirname, '../../bin/fleet.js');
    const r = spawnSync('node', [bin, ...apply()], { encoding: 'utf8', input: 'n\n' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(PROMPT);
    expect(r.stdout).toContain('+-A FLEET-INPUT -p tcp -m tcp --dport 8002');
    expect(newestReport().hosts[0]?.status).toBe('changed');
  });

  it('a host whose rules changed between the prompt and the swap is refused, untouched', async () => {
    servePort(8003);
    const drift = ['-I', 'INPUT', '1', '-s', '192.0.2.99', '-j', 'ACCEPT'];
    let before = '';
    const run = await fleetOnPty(apply(), {
      prompt: PROMPT,
      answer: async () => {
        // Shown the plan, the operator hesitates; meanwhile someone changes the host's rules.
        expect(await labHostExec(lab(), host, ['iptables', '-w', ...drift])).toMatchObject({ ok: true });
        before = await hostRules(lab(), host);
        return 'yes';
      },
    });
    expect(run.code, run.screen).toBe(1);
    const h = newestReport().hosts[0]!;
    expect(h.status).toBe('failed');
    expect(h.detail).toContain('changed since the prompt');
    expect(await hostRules(lab(), host)).toBe(before);
  });
});
