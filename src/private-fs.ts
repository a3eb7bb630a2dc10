/**
 * Files on the workstation that hold a fleet's firewall (backups/, reports/, inventory/bans.yaml)
 * are the operator's alone: folders 0700, files 0600, whatever the umask. A umask only takes
 * bits away, so files created with PRIVATE_FILE are never more open than 0600; a folder that
 * already exists (made by an older fleet, or by hand) is closed explicitly.
 */
import { chmod, mkdir } from 'node:fs/promises';

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** `dir` created 0700; an existing `dir` made 0700. */
export async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  await chmod(dir, PRIVATE_DIR);
}
