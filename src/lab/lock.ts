/**
 * Cross-process exclusive locks (base-root build, subnet allocation, one lab's up/down).
 * A `flock` child holds a kernel lock on the file for as long as its stdin stays open, so a
 * crashed fleet process can never leave a stale lock behind.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FleetError } from '../errors.js';
import { SYSTEM_PATH } from './exec.js';

const HOLD = 'echo locked; exec cat >/dev/null';

export async function withLock<T>(file: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  const child = spawn('flock', ['-x', '-w', String(Math.ceil(timeoutMs / 1000)), file, 'sh', '-c', HOLD], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: `${process.env.PATH ?? ''}:${SYSTEM_PATH}` },
  });
  child.stdin.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('locked')) resolve();
    });
    child.on('error', (e) => reject(new FleetError(`lab: cannot lock ${file}: ${e.message}`)));
    child.on('exit', (code) =>
      reject(new FleetError(`lab: timed out waiting for the lock ${file} (exit ${code})`)),
    );
  });
  try {
    return await fn();
  } finally {
    child.stdin.end();
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }
}
