/**
 * `--shard I/N` over real hosts: N fleet processes started together over one lab touch every
 * selected host exactly once; `fleet report merge` of their reports equals one unsharded run
 * (hosts, statuses, exit code); a missing shard is named and its hosts reported as not run.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labStartSshd, labStopSshd } from '../../src/lab/index.js';
import type { RunReport } from '../../src/model/result.js';
import { repoWithProfiles } from '../apply/helpers.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ name: 'shards', count: 6 });
const N = 3;
let dir: string;

interface Proc {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI under plain node, as a separate process (as each Job pod would run it). */
function fleet(...args: string[]): Promise<Proc> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/fleet.js', '-C', dir, ...args],
      { encoding: 'utf8', timeout: 300_000 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: number }).code : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

const readReport = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as RunReport;
const byHost = (r: RunReport) => Object.fromEntries(r.hosts.map((h) => [h.host, h.status]));

describe('sharded runs over lab hosts', () => {
  beforeAll(async () => {
    dir = repoWithProfiles('shards');
    mkdirSync(join(dir, 'out'));
    await labStopSshd(lab(), lab().hosts[4]!.name, 'TERM'); // one unreachable host: exit code 1
  });
  afterAll(async () => {
    await labStartSshd(lab(), lab().hosts[4]!.name);
  });

  it('N processes together run every host exactly once; merged equals one unsharded run', async () => {
    const inv = ['-i', lab().inventoryPath, '--timeout', '20s'];
    const shards = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        fleet('facts', 'all', ...inv, '--shard', `${i}/${N}`, '--out', join(dir, 'out', `shard-${i}.json`)),
      ),
    );
    const parts = shards.map((_, i) => readReport(join(dir, 'out', `shard-${i}.json`)));
    const ran = parts.flatMap((p) => p.hosts.map((h) => h.host));
    expect(ran.sort()).toEqual(
      lab()
        .hosts.map((h) => h.name)
        .sort(),
    );
    for (const [i, p] of parts.entries()) expect(p.shard).toMatchObject({ index: i, count: N, part: 'all' });

    const whole = await fleet('facts', 'all', ...inv, '--out', join(dir, 'whole.json'));
    expect(whole.code).toBe(1);
    const merged = await fleet('report', 'merge', join(dir, 'out'), '--out', join(dir, 'merged.json'));
    expect(merged.code, merged.stderr).toBe(whole.code);
    const [m, w] = [readReport(join(dir, 'merged.json')), readReport(join(dir, 'whole.json'))];
    expect(m.hosts.map((h) => h.host)).toEqual(w.hosts.map((h) => h.host));
    expect(byHost(m)).toEqual(byHost(w));
    expect(byHost(m)[lab().hosts[4]!.name]).toBe('unreachable');
  }, 300_000);

  it('a missing shard is named, its hosts are not run, and the merged run exits 3 (stopped)', async () => {
    const files = [0, 2].map((i) => join(dir, 'out', `shard-${i}.json`));
    const lost = readReport(join(dir, 'out', 'shard-1.json')).hosts.map((h) => h.host);
    const merged = await fleet('report', 'merge', ...files, '--format', 'json');
    expect(merged.code).toBe(3);
    expect(merged.stderr).toContain(`missing shard 1/${N} (${lost.length} host`);
    const m = JSON.parse(merged.stdout) as RunReport;
    for (const h of lost)
      expect(m.hosts.find((r) => r.host === h)?.detail).toBe(`not run: shard 1/${N} missing`);
  }, 120_000);

  it('an input error stops every shard alike, before any connection', async () => {
    const bad = await Promise.all(
      [0, 1].map((i) => fleet('facts', 'no-such-group', '-i', lab().inventoryPath, '--shard', `${i}/2`)),
    );
    expect(bad.map((b) => b.code)).toEqual([2, 2]);
  });
});
