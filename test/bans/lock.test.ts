import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLock } from '../../src/bans/lock.js';

/** A lock path in a directory that exists (stale-lock cases write the file first). */
const lockFile = async () => path.join(await mkdtemp(path.join(tmpdir(), 'fleet-lock-')), '.bans.lock');

describe('ban list lock', () => {
  it('creates its directory (a repository without inventory/ yet)', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'fleet-lock-')), 'inventory', '.bans.lock');
    expect(await withLock(file, async () => 'held')).toBe('held');
  });

  it('serializes two holders', async () => {
    const file = await lockFile();
    const order: string[] = [];
    const slow = withLock(file, async () => {
      order.push('a-in');
      await new Promise((r) => setTimeout(r, 150));
      order.push('a-out');
    });
    await new Promise((r) => setTimeout(r, 20));
    let waitedFor = 0;
    const fast = withLock(file, async () => void order.push('b'), {
      pollMs: 20,
      onWait: (pid) => (waitedFor = pid),
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['a-in', 'a-out', 'b']);
    expect(waitedFor).toBe(process.pid);
  });

  it('takes over a stale lock (its pid is gone) and removes it afterwards', async () => {
    const file = await lockFile();
    await writeFile(file, '999999999\n');
    expect(await withLock(file, async () => (await readFile(file, 'utf8')).trim())).toBe(String(process.pid));
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('gives up after the wait time with a clear message', async () => {
    const file = await lockFile();
    await writeFile(file, `${process.pid}\n`);
    await expect(withLock(file, async () => 1, { waitMs: 100, pollMs: 20 })).rejects.toThrow(
      /locked by fleet \(pid/,
    );
  });
});
