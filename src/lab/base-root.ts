/**
 * The base root: a minimal Debian root made once with debootstrap and cached outside any
 * repository. Built in a temporary folder and renamed when complete, under a lock, so parallel
 * `lab up`s (test files) never build it twice nor see half of it.
 */

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { EnvironmentError, FleetError } from '../errors.js';
import { pickMirror, readAptSources } from './apt-sources.js';
import {
  buildCanaryDeb,
  CANARY,
  CANARY_NEW,
  CANARY_OLD,
  REPO_LINE,
  REPO_PATH,
  writeRepoIndex,
} from './canary-package.js';
import { mustRun, SYSTEM_PATH } from './exec.js';
import { removeTree } from './fs-safe.js';
import { withLock } from './lock.js';
import { BASE_VERSION, baseDirFor, CACHE_DIR, type LabFlavor, SUITE } from './paths.js';
import { checkPrerequisites } from './prereq.js';
import { customizeRpm, RPM_FLAVOR_PACKAGES } from './rpm-flavor.js';

const MARKER = '.fleet-lab-base';

export const BASE_PACKAGES = [
  'openssh-server',
  'iptables',
  'ipset',
  'procps',
  'iproute2',
  'sudo',
  'conntrack',
  'python3',
];

/** Users every lab host has besides root (the SSH transport tests need them). */
export const SUDO_USER = 'fleet-sudo';
export const NOSUDO_USER = 'fleet-nosudo';

export const SSHD_CONFIG = `# fleet lab: one ed25519 host key per host, keys only, room for 200 concurrent connections
Port 22
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
MaxStartups 1000:30:1000
MaxSessions 50
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
`;

async function isComplete(dir: string): Promise<boolean> {
  try {
    return (await readFile(join(dir, MARKER), 'utf8')).trim() === BASE_VERSION;
  } catch {
    return false;
  }
}

/** The cached base root of a flavour, building it first if needed (minutes, once per machine). */
export async function ensureBaseRoot(
  log: (line: string) => void = () => {},
  flavor: LabFlavor = 'debian',
): Promise<string> {
  const baseDir = baseDirFor(flavor);
  if (await isComplete(baseDir)) return baseDir;
  await checkPrerequisites({ build: true });
  await mkdir(CACHE_DIR, { recursive: true });
  return withLock(join(CACHE_DIR, 'base.lock'), 40 * 60_000, async () => {
    if (await isComplete(baseDir)) return baseDir;
    // Under the lock, any leftover temporary or outdated root is stale: remove it.
    for (const n of await readdir(CACHE_DIR)) {
      if (n.startsWith(`${basename(baseDir)}.tmp-`) || n.startsWith(`${basename(baseDir)}.old-`)) {
        await removeTree(join(CACHE_DIR, n));
      }
    }
    const tmp = `${baseDir}.tmp-${process.pid}`;
    const what = flavor === 'debian' ? 'the base root' : `the ${flavor} base root`;
    log(`lab: building ${what} (debootstrap ${SUITE}, once per machine; a few minutes)`);
    const extra = flavor === 'rpm' ? RPM_FLAVOR_PACKAGES : [];
    await debootstrap(tmp, join(CACHE_DIR, `base-build-${flavor}.log`), extra);
    await customize(tmp);
    if (flavor === 'rpm') await customizeRpm(tmp, (argv) => inRoot(tmp, argv));
    await writeFile(join(tmp, MARKER), `${BASE_VERSION}\n`);
    if (existsSync(baseDir)) await rename(baseDir, `${baseDir}.old-${process.pid}`);
    await rename(tmp, baseDir);
    await removeTree(`${baseDir}.old-${process.pid}`);
    log(`lab: ${what} ready in ${baseDir}`);
    return baseDir;
  });
}

async function debootstrap(target: string, logFile: string, extra: readonly string[]): Promise<void> {
  const source = pickMirror(await readAptSources(), SUITE);
  if (!source) {
    throw new EnvironmentError(
      `no apt source for Debian ${SUITE} in /etc/apt/sources.list or /etc/apt/sources.list.d/: add one, the lab base root is built from it`,
    );
  }
  const mirror = source.uris[0]!;
  const args = [
    '--variant=minbase',
    `--include=${[...BASE_PACKAGES, ...extra].join(',')}`,
    '--components=main',
  ];
  if (source.signedBy && existsSync(source.signedBy)) args.push(`--keyring=${source.signedBy}`);
  args.push(SUITE, target, mirror);
  const out = createWriteStream(logFile);
  const code = await new Promise<number>((resolve) => {
    const child = spawn('debootstrap', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: SYSTEM_PATH, LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', () => resolve(127));
    child.on('close', (c) => resolve(c ?? 1));
  });
  out.end();
  if (code !== 0) {
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
    throw new FleetError(`lab: debootstrap failed (exit ${code}), see ${logFile}: ${tail}`, { exitCode: 4 });
  }
}

/** Run a command chrooted into the new root, with no network and its own pid namespace. */
function inRoot(root: string, argv: string[]): Promise<string> {
  return mustRun('unshare', ['--net', '--pid', '--fork', '--mount', 'chroot', root, ...argv], {
    env: { PATH: SYSTEM_PATH, LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive', HOME: '/root' },
  });
}

async function customize(root: string): Promise<void> {
  // Services never start from package scripts in a lab host (there is no init system).
  await writeFile(join(root, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });

  // The canary package: 1.0 installed, 1.1 in the local repository.
  const scratch = join(root, 'tmp/fleet-lab-canary');
  const repo = join(root, REPO_PATH.slice(1));
  const oldDeb = await buildCanaryDeb(CANARY_OLD, scratch, scratch);
  const newDeb = await buildCanaryDeb(CANARY_NEW, scratch, repo);
  await writeRepoIndex(repo, [newDeb]);
  await inRoot(root, ['dpkg', '-i', `/tmp/fleet-lab-canary/${oldDeb.slice(oldDeb.lastIndexOf('/') + 1)}`]);
  await rm(scratch, { recursive: true, force: true });

  // Apt: only the local repository; nothing that points to the network.
  await rm(join(root, 'etc/apt/sources.list'), { force: true });
  const listD = join(root, 'etc/apt/sources.list.d');
  await mkdir(listD, { recursive: true });
  for (const n of await readdir(listD)) await rm(join(listD, n), { force: true });
  await writeFile(join(listD, 'fleet-lab.list'), `${REPO_LINE}\n`);
  await inRoot(root, ['apt-get', 'clean']);
  await rm(join(root, 'var/lib/apt/lists'), { recursive: true, force: true });
  await mkdir(join(root, 'var/lib/apt/lists/partial'), { recursive: true });

  // Users: root and two others, each given its key by the lab layer.
  for (const user of [SUDO_USER, NOSUDO_USER]) {
    await inRoot(root, ['useradd', '--create-home', '--shell', '/bin/bash', user]);
    // '*' : no password, but not a locked account (sshd refuses locked accounts).
    await inRoot(root, ['usermod', '--password', '*', user]);
  }
  await writeFile(join(root, 'etc/sudoers.d', SUDO_USER), `${SUDO_USER} ALL=(ALL:ALL) NOPASSWD: ALL\n`, {
    mode: 0o440,
  });

  // sshd: own config; host keys are made per host, never shared.
  await writeFile(join(root, 'etc/ssh/sshd_config'), SSHD_CONFIG);
  for (const n of await readdir(join(root, 'etc/ssh'))) {
    if (n.startsWith('ssh_host_')) await rm(join(root, 'etc/ssh', n), { force: true });
  }
  await mkdir(join(root, 'root/.ssh'), { recursive: true });
  await chmod(join(root, 'root/.ssh'), 0o700);
  await rm(join(root, 'etc/hostname'), { force: true });
  await writeFile(join(root, 'etc/resolv.conf'), '');
  await writeFile(
    join(root, 'etc/fleet-lab-release'),
    `base ${BASE_VERSION}, ${SUITE}, ${CANARY} ${CANARY_OLD}\n`,
  );
}
