/**
 * The workstation's copy of every host backup: backups/<host>/<name>.v4|.v6, written with
 * O_EXCL so nothing is ever overwritten, pruned to the newest K like the host's own. Whole
 * rulesets: files 0600 in 0700 folders.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PRIVATE_FILE, privateDir } from '../../private-fs.js';

export interface LocalBackup {
  dir: string;
  name: string;
}

export async function saveLocalBackup(
  root: string,
  host: string,
  remotePath: string,
  v4: string,
  v6: string | null,
): Promise<LocalBackup> {
  const dir = join(root, host);
  await privateDir(root);
  await privateDir(dir);
  const name = basename(remotePath);
  const opts = { flag: 'wx', mode: PRIVATE_FILE };
  await writeFile(join(dir, `${name}.v4`), v4.endsWith('\n') ? v4 : `${v4}\n`, opts);
  if (v6 !== null) await writeFile(join(dir, `${name}.v6`), v6.endsWith('\n') ? v6 : `${v6}\n`, opts);
  return { dir, name };
}

/** Backup names of a host, oldest first (names start with a UTC timestamp). */
export async function listLocalBackups(root: string, host: string): Promise<string[]> {
  const files = await readdir(join(root, host)).catch(() => [] as string[]);
  const names = new Set(files.filter((f) => f.endsWith('.v4')).map((f) => f.slice(0, -3)));
  return [...names].sort();
}

export async function pruneLocalBackups(root: string, host: string, keep: number): Promise<void> {
  const names = await listLocalBackups(root, host);
  for (const name of names.slice(0, Math.max(0, names.length - keep))) {
    await rm(join(root, host, `${name}.v4`), { force: true });
    await rm(join(root, host, `${name}.v6`), { force: true });
  }
}
