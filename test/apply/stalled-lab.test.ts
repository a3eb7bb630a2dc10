/**
 * A stalled host cannot keep fleet alive, and --timeout does not cut a rollback's wait.
 * The stall is made inside the host's network namespace (labHostExec, not over SSH): its
 * packets are dropped mid-session. fleet runs as a child process (the built CLI), so the test
 * sees when the process itself exits, not just when its report is written.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LabInfo } from '../../src/lab/index.js';
import { labHostExec } from '../../src/lab/index.js';
import type { RunReport } from '../../src/model/result.js';
import { fleetOnLab as fleet, statuses } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { hostRules, repoWithProfiles } from './helpers.js';

const lab = useLab({ name: 'tstall', count: 3, group: 'web-servers' });
const STALL = ['-m', 'comment', '--comment', 'fleet-test-stall', '-j', 'DROP'];
let dir: string;
let stalled: string | undefined;

async function stall(l: LabInfo, host: string, on: boolean): Promise<void> {
  for (const chain of ['INPUT', 'OUTPUT']) {
    const args = on ? ['-I', chain, '1', ...STALL] : ['-D', chain, ...STALL];
    const r = await labHostExec(l, host, ['iptables', '-w', ...args]);
    if (on && !r.ok) throw new Error(`could not stall ${host}: ${r.stderr}`);
  }
}

interface Child {
  code: number | null;
  ms: number;
  stdout: string;
}

/** The built CLI as a child process; resolves when the process exits (or is killed at `limitMs`). */
function fleetChild(args: string[], limitMs: number): Promise<Child> {
  const started = Date.now();
  const [command, ...rest] = args;
  const argv = ['bin/fleet.js', '-C', dir, command!, '-i', lab().inventoryPath, ...rest];
  const child = spawn('node', argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr.resume();
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, ms: Date.now() - started, stdout });
    });
  });
}

function withoutRaw(rules: string): string {
  return rules
    .split(/\n(?=\*)/)
    .filter((t) => !t.startsWith('*raw'))
    .join('\n');
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a stalled host', () => {
  beforeAll(() => {
    dir = repoWithProfiles('stall');
  });
  afterEach(async () => {
    if (stalled) await stall(lab(), stalled, false);
    stalled = undefined;
  });

  it('ends at its --timeout with its sockets destroyed: the process exits within seconds, the others are fine', async () => {
    const [a, b, c] = lab().hosts.map((h) => h.name) as [string, string, string];
    await labHostExec(lab(), c, ['rm', '-f', '/run/fleet-test-started']);
    const run = fleetChild(
      ['exec', 'all', '--timeout', '15', '--json', '--', 'touch /run/fleet-test-started; sleep 6; echo done'],
      120_000,
    );
    await waitFor(
      async () => (await labHostExec(lab(), c, ['test', '-e', '/run/fleet-test-started'])).ok,
      60_000,
    );
    stalled = c;
    await stall(lab(), c, true);
    const done = await run;
    const last = JSON.parse(done.stdout.trim().split('\n').at(-1)!) as { report: RunReport };
    const report = last.report;
    const by = Object.fromEntries(report.hosts.map((h) => [h.host, h]));
    expect(by[a]!.status).toBe('ok');
    expect(by[b]!.status).toBe('ok');
    expect(by[c]!.status).toBe('failed');
    expect(by[c]!.detail).toMatch(/timed out after 15s/);
    expect(done.code).toBe(1);
    // 15 s of timeout and a little: not the minutes TCP retransmits a FIN to a silent host.
    expect(done.ms).toBeLessThan(45_000);
  }, 180_000);

  it('a rollback wait longer than --timeout is not cut: the report says the watchdog restored the rules', async () => {
    const lockout = repoWithProfiles('stall-lockout', {
      'web-servers': 'extends: base\nssh:\n  sources: [192.0.2.99/32]\n',
    });
    const host = lab().hosts[0]!.name;
    // The ban sync before the swap adds the raw table's ban jump (outside the transaction).
    const before = withoutRaw(await hostRules(lab(), host));
    const run = await fleet(
      lockout,
      lab(),
      'apply',
      host,
      '--force',
      '--confirm-timeout',
      '8',
      '--timeout',
      '5',
    );
    expect(statuses(run)).toEqual({ [host]: 'rolled-back' });
    expect(run.report!.hosts[0]!.detail).toMatch(/the watchdog restored the backup/);
    expect(run.code).toBe(1);
    expect(withoutRaw(await hostRules(lab(), host))).toBe(before);
  }, 120_000);
});
