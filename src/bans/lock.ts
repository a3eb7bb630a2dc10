/**
 * One `fleet ban|unban|bans` at a time per fleet repository on a workstation: a lock file
 * created exclusively (O_EXCL) and holding the owner's pid. A lock whose pid is gone is stale
 * and taken over; otherwise the command waits, then gives up with a clear message.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FleetError } from '../errors.js';

export interface LockOptions {
  /** Give up after this long (default 120 s). */
  waitMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (ownerPid: number) => void;
  pollMs?: number;
}

export async function withLock<T>(file: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  await acquire(file, opts);
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}

async function acquire(file: string, opts: LockOptions): Promise<void> {
  const deadline = Date.now() + (opts.waitMs ?? 120_000);
  await mkdir(dirname(file), { recursive: true });
  let told = false;
  for (;;) {
    if (await tryCreate(file)) return;
    const owner = await ownerPid(file);
    if (owner !== null && !isAlive(owner)) {
      await rm(file, { force: true });
      continue;
    }
    if (!told && owner !== null) opts.onWait?.(owner);
    told = true;
    if (Date.now() > deadline) throw lockTimeout(file, owner);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
}

async function tryCreate(file: string): Promise<boolean> {
  try {
    const fh = await open(file, 'wx', 0o644);
    await fh.writeFile(`${process.pid}\n`);
    await fh.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function ownerPid(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockTimeout(file: string, owner: number | null): FleetError {
  const who = owner === null ? 'another fleet command' : `fleet (pid ${owner})`;
  return new FleetError(`the ban list is locked by ${who}: ${file}`, {
    hint: 'wait for it to finish; if no fleet command is running, delete the lock file',
  });
}
