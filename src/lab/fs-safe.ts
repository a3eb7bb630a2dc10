/** Removing lab trees without ever following a mount out of them (a half-made base root may
 * still have /proc, /sys or a bound /dev mounted inside, if debootstrap was killed). */
import { readFile } from 'node:fs/promises';
import { mustRun, run } from './exec.js';

/** Lazily unmount everything mounted at or under `dir` in this mount namespace, deepest first. */
export async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await run('umount', ['-l', m]);
}

/** `rm -rf` that unmounts first and never crosses into another file system. */
export async function removeTree(dir: string): Promise<void> {
  await unmountUnder(dir);
  await mustRun('rm', ['-rf', '--one-file-system', '--', dir]);
}
