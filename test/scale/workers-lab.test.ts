/**
 * `--workers N` on real lab hosts, through the built CLI as a user runs it (worker threads load
 * the built files): results in selection order as with one thread, the same messages and exit
 * codes, and canary, --max-fail and Ctrl-C keeping their meaning across workers.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/model/result.js';
import { hostRules, repoWithProfiles } from '../apply/helpers.js';
import { useLab } from '../support/lab.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const lab = useLab({ name: 'wrk', count: 6 });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  report?: RunReport;
}

/** The built CLI on the lab; `onErr` sees stderr as it comes (plain progress lines). */
function fleet(dir: string, args: string[], onErr?: (text: string, child: ReturnType<typeof spawn>) => void) {
  const before = new Set(reports(dir));
  const inventory = args.includes('-i') ? [] : ['-i', lab().inventoryPath];
  // Before any `--` (exec's command words): the command and its selector, then -i.
  const argv = [
    path.join(ROOT, 'bin/fleet.js'),
    '-C',
    dir,
    ...args.slice(0, 2),
    ...inventory,
    ...args.slice(2),
  ];
  const child = spawn('node', argv, { env: { ...process.env, FLEET_PROGRESS: 'plain', NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
    onErr?.(stderr, child);
  });
  return new Promise<Run>((resolve) =>
    child.on('close', (code) => {
      const file = reports(dir).find((f) => !before.has(f));
      const report = file && JSON.parse(readFileSync(path.join(dir, 'reports', file), 'utf8'));
      resolve({ code, stdout, stderr, report });
    }),
  );
}

function reports(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, 'reports'));
  } catch {
    return [];
  }
}

/** The selection order of `all` (one facts run, kept for the file). */
let selection: string[] | undefined;
async function namesInOrder(dir: string): Promise<string[]> {
  selection ??= order(await fleet(dir, ['facts', 'all', '--workers', '1']));
  return selection;
}

const rows = (r: Run) => r.report!.hosts.map((h) => [h.host, h.status, h.detail]);
const order = (r: Run) => r.report!.hosts.map((h) => h.host);

describe('--workers N on lab hosts', () => {
  it('facts over 3 workers: the same results, in the same (selection) order, as one thread', async () => {
    const dir = repoWithProfiles('wrk-facts');
    const one = await fleet(dir, ['facts', 'all', '--workers', '1']);
    selection = order(one);
    const three = await fleet(dir, ['facts', 'all', '--workers', '3']);
    expect(one.code).toBe(0);
    expect(three.code).toBe(0);
    expect(rows(three)).toEqual(rows(one));
    expect(three.report!.hosts).toHaveLength(6);
    expect(three.stderr).toContain('start 6 hosts, concurrency 50, 3 worker threads');
    expect(one.stderr).toContain('start 6 hosts, concurrency 50\n');
  });

  it('typed errors cross the threads unchanged: message, hint, status and exit code', async () => {
    const dir = repoWithProfiles('wrk-keys');
    // The lab's inventory with an empty known_hosts: every host's key is unknown.
    const inventory = path.join(dir, 'inventory.yaml');
    const text = readFileSync(lab().inventoryPath, 'utf8');
    writeFileSync(path.join(dir, 'known_hosts'), '');
    writeFileSync(
      inventory,
      text.replace(/known_hosts: .*/, `known_hosts: ${path.join(dir, 'known_hosts')}`),
    );
    const run = (workers: string) =>
      fleet(dir, ['facts', 'all', '--workers', workers, '-i', inventory]).then((r) => ({
        ...r,
        summary: r.stdout.replace(/ +\d+(\.\d+)?m?s +/g, ' '),
      }));
    const one = await run('1');
    const two = await run('2');
    expect(one.code).toBe(1);
    expect(two.code).toBe(one.code);
    expect(two.report!.hosts.every((h) => h.status === 'unreachable')).toBe(true);
    expect(rows(two)).toEqual(rows(one));
    expect(two.summary).toContain('hint');
    expect(two.summary).toContain('--trust-new-hosts');
    expect(two.summary).toEqual(one.summary);
  });

  it('a failed canary stops the rest on every worker (exit 3)', async () => {
    const dir = repoWithProfiles('wrk-canary');
    const names = await namesInOrder(dir);
    const script = `test "$(hostname)" != ${names[1]}`;
    const r = await fleet(dir, ['exec', 'all', '--canary', '2', '--workers', '2', '--', script]);
    expect(r.code).toBe(3);
    expect(r.report!.hosts.map((h) => h.status)).toEqual(['ok', 'failed', ...Array(4).fill('skipped')]);
    expect(r.report!.hosts[2]!.detail).toContain(`not started: canary host ${names[1]} ended failed`);
  });

  it("--max-fail counts every worker's failures and stops dispatching (exit 3)", async () => {
    const dir = repoWithProfiles('wrk-maxfail');
    const names = await namesInOrder(dir);
    const script = `test "$(hostname)" != ${names[0]} || exit 1; sleep 2`;
    const args = ['exec', 'all', '--max-fail', '1', '--concurrency', '2', '--workers', '2', '--', script];
    const r = await fleet(dir, args);
    expect(r.code).toBe(3);
    // The first host fails; the second, in flight on the other worker, finishes; nothing else starts.
    expect(r.report!.hosts.map((h) => h.status)).toEqual(['failed', 'ok', ...Array(4).fill('skipped')]);
    expect(r.report!.stopReason).toContain('failure threshold reached');
  });

  it('Ctrl-C twice mid-apply: every host ends on its old rules or its confirmed new ones (exit 3)', async () => {
    const dir = repoWithProfiles('wrk-sigint');
    const before = new Map<string, string>();
    for (const h of lab().hosts) before.set(h.name, filterTable(await hostRules(lab(), h.name)));
    let sent = 0;
    const args = ['apply', 'all', '--workers', '3', '--concurrency', '3', '--canary', '0'];
    const r = await fleet(dir, [...args, '--confirm-timeout', '10'], (err, child) => {
      // As a person does: Ctrl-C once a host is swapping, and again at once.
      if (sent === 0 && / swap\n/.test(err)) {
        sent = 1;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGINT'), 200);
      }
    });
    expect(sent).toBe(1);
    expect(r.stderr).toContain('fleet: stopping: no new hosts will start');
    expect(r.code).toBe(3);
    const hosts = r.report!.hosts;
    expect(hosts.filter((h) => h.status === 'skipped').length).toBeGreaterThanOrEqual(3);
    // Past every watchdog's deadline: a host cut while armed is back on its old rules.
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    for (const h of hosts) {
      // The ban sets are synced before the transaction, beside it (docs/apply.md): filter is what it changes.
      const now = filterTable(await hostRules(lab(), h.host));
      if (h.status === 'changed') expect(now, h.host).toContain('FLEET-');
      else expect(now, `${h.host} ${h.status}: ${h.detail}`).toEqual(before.get(h.host));
    }
    const facts = await fleet(dir, ['facts', 'all', '--workers', '2']);
    expect(facts.report!.hosts.filter((h) => h.detail.includes('ARMED'))).toEqual([]);
  }, 180_000);
});

/** The filter table of hostRules' text ('' when it has none). */
function filterTable(rules: string): string {
  return rules.split(/\n(?=\*)/).find((t) => t.startsWith('*filter')) ?? '';
}
