/** Is this machine able to run a lab? Root, and each system tool, named by its Debian package. */
import { existsSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { EnvironmentError } from '../errors.js';
import { SYSTEM_PATH } from './exec.js';
import { BASE_DIR } from './paths.js';

/** Tool → Debian package that ships it. */
export const TOOLS_RUN: Record<string, string> = {
  ip: 'iproute2',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  flock: 'util-linux',
  mount: 'mount',
  chroot: 'coreutils',
  timeout: 'coreutils',
  bash: 'bash',
  'ssh-keygen': 'openssh-client',
};

export const TOOLS_BUILD: Record<string, string> = {
  debootstrap: 'debootstrap',
  'dpkg-deb': 'dpkg',
};

async function findTool(tool: string): Promise<boolean> {
  const dirs = `${process.env.PATH ?? ''}:${SYSTEM_PATH}`.split(':').filter(Boolean);
  for (const d of dirs) {
    try {
      await access(`${d}/${tool}`, constants.X_OK);
      return true;
    } catch {
      // next folder
    }
  }
  return false;
}

/** Throws a one-line EnvironmentError naming what to do. */
export async function checkPrerequisites(opts: { build: boolean }): Promise<void> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new EnvironmentError('the lab needs root (network namespaces, mounts): run fleet lab as root');
  }
  const tools = { ...TOOLS_RUN, ...(opts.build ? TOOLS_BUILD : {}) };
  const missing = new Set<string>();
  for (const [tool, pkg] of Object.entries(tools)) if (!(await findTool(tool))) missing.add(pkg);
  if (missing.size > 0) {
    const pkgs = [...missing].sort().join(' ');
    throw new EnvironmentError(`the lab needs Debian packages that are missing: apt-get install ${pkgs}`);
  }
}

/** Why the lab cannot run here, or undefined when it can (for tests that skip). The build
 * tools count only while the base root is not cached yet. */
export async function labUnavailableReason(): Promise<string | undefined> {
  try {
    await checkPrerequisites({ build: !existsSync(BASE_DIR) });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
