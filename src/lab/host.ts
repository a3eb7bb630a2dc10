/**
 * One lab host: its files (an overlay of the base root, a per-lab layer and its own upper dir),
 * its processes (an unshare'd mount/uts/pid namespace inside its network namespace, a tiny sh
 * init as pid 1, sshd as that init's child) and the helpers tests use to act inside it.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetError, InputError } from '../errors.js';
import type { HostPlan } from './addressing.js';
import { NOSUDO_USER, SUDO_USER } from './base-root.js';
import { mustRun, type RunOptions, type RunResult, run, SYSTEM_PATH } from './exec.js';
import { removeTree } from './fs-safe.js';

/** The host's pid 1, in the host's root: start sshd as a child, then reap forever. */
export const INIT_SCRIPT = `#!/bin/sh
# fleet lab host init (pid 1): sshd as a child, so tests can stop it without stopping the host.
mkdir -p /run/sshd /run/lock
chmod 0755 /run/sshd
/usr/sbin/sshd -D -e &
sleep infinity &
while :; do wait; sleep 1; done
`;

/** Runs in the host's new namespaces, on the machine's root: mounts, hostname, chroot. */
export const BOOT_SCRIPT = `#!/bin/sh
# fleet lab host boot: $1 root, $2 lowerdirs, $3 upper, $4 work, $5 hostname
set -eu
root=$1
mount -t overlay overlay -o "lowerdir=$2,upperdir=$3,workdir=$4" "$root"
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
mount -t tmpfs -o mode=0755,size=4m,nosuid tmpfs "$root/dev"
mknod -m 666 "$root/dev/null" c 1 3
mknod -m 666 "$root/dev/zero" c 1 5
mknod -m 666 "$root/dev/full" c 1 7
mknod -m 666 "$root/dev/random" c 1 8
mknod -m 666 "$root/dev/urandom" c 1 9
mknod -m 666 "$root/dev/tty" c 5 0
mkdir -m 755 "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev tmpfs "$root/dev/shm"
mount -t tmpfs -o mode=0755,size=32m,nosuid,nodev tmpfs "$root/run"
hostname "$5"
cd "$root"
exec chroot "$root" /usr/local/sbin/fleet-lab-init
`;

export const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Owner {
  uid: number;
  gid: number;
  home: string;
}

async function passwdEntry(base: string, user: string): Promise<Owner> {
  const line = (await readFile(join(base, 'etc/passwd'), 'utf8'))
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  const f = line?.split(':');
  if (!f || f.length < 7)
    throw new FleetError(`lab: user ${user} is missing from the base root`, { exitCode: 4 });
  return { uid: Number(f[2]), gid: Number(f[3]), home: f[5]! };
}

/** Make `dir` inside `layer` with the owner and mode of the same folder in `base`. */
async function mirrorDir(layer: string, base: string, rel: string): Promise<string> {
  const st = await stat(join(base, rel));
  const dir = join(layer, rel);
  await mkdir(dir, { recursive: true });
  await chown(dir, st.uid, st.gid);
  await chmod(dir, st.mode & 0o7777);
  return dir;
}

/** The per-lab layer (between the base and each host's upper): the client key for every user,
 * and the init. Its folders copy the base's owners and modes, since the top layer's win. */
export async function writeLabLayer(layer: string, base: string, clientPub: string): Promise<void> {
  await rm(layer, { recursive: true, force: true });
  await mkdir(layer, { recursive: true });
  for (const rel of ['usr', 'usr/local', 'usr/local/sbin']) await mirrorDir(layer, base, rel);
  await writeFile(join(layer, 'usr/local/sbin/fleet-lab-init'), INIT_SCRIPT, { mode: 0o755 });
  const users: Array<{ name: string; o: Owner }> = [{ name: 'root', o: { uid: 0, gid: 0, home: '/root' } }];
  for (const u of [SUDO_USER, NOSUDO_USER]) users.push({ name: u, o: await passwdEntry(base, u) });
  for (const { o } of users) {
    const homeRel = o.home.slice(1);
    const parts = homeRel.split('/');
    for (let i = 1; i <= parts.length; i++) await mirrorDir(layer, base, parts.slice(0, i).join('/'));
    const sshDir = join(layer, homeRel, '.ssh');
    await mkdir(sshDir, { recursive: true });
    await chown(sshDir, o.uid, o.gid);
    await chmod(sshDir, 0o700);
    const keys = join(sshDir, 'authorized_keys');
    await writeFile(keys, `${clientPub.trim()}\n`, { mode: 0o600 });
    await chown(keys, o.uid, o.gid);
  }
}

/** An ed25519 key pair made by OpenSSH's own ssh-keygen (`path`, `path.pub`). Not ssh2's
 * generator: about 1 key in 200 it makes cannot be loaded by OpenSSH ("error in libcrypto"). */
export async function generateKey(path: string, comment: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

export function hostDir(stateDir: string, host: string): string {
  return join(stateDir, 'hosts', host);
}

export interface HostKey {
  publicKey: string;
}

/** A fresh upper dir with the host's own key, hostname and hosts file. */
export async function prepareHost(stateDir: string, h: HostPlan): Promise<HostKey> {
  const dir = hostDir(stateDir, h.name);
  if (existsSync(dir)) await removeTree(dir);
  for (const d of ['upper/etc/ssh', 'work', 'root']) await mkdir(join(dir, d), { recursive: true });
  const keyPath = join(dir, 'upper/etc/ssh/ssh_host_ed25519_key');
  await generateKey(keyPath, `root@${h.name}`);
  const publicKey = (await readFile(`${keyPath}.pub`, 'utf8')).trim();
  await writeFile(join(dir, 'upper/etc/hostname'), `${h.name}\n`);
  await writeFile(
    join(dir, 'upper/etc/hosts'),
    `127.0.0.1 localhost\n127.0.1.1 ${h.name}\n::1 localhost ip6-localhost ip6-loopback\n${h.address} ${h.name}\n${h.address6} ${h.name}\n`,
  );
  return { publicKey };
}

export interface PidRecord {
  pid: number;
  /** Field 22 of /proc/PID/stat: tells a reused pid from ours. */
  start: string;
  netns: string;
}

async function procStart(pid: number): Promise<string | undefined> {
  try {
    const s = await readFile(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Start the host detached; its pid record is written to the host dir. */
export async function startHost(
  stateDir: string,
  bootPath: string,
  lowerdirs: string,
  h: HostPlan,
): Promise<PidRecord> {
  const dir = hostDir(stateDir, h.name);
  const logFd = openSync(join(dir, 'log'), 'a');
  const args = [
    'netns',
    'exec',
    h.netns,
    'unshare',
    '--mount',
    '--uts',
    '--pid',
    '--fork',
    '--kill-child',
    '--propagation',
    'private',
    '/bin/sh',
    bootPath,
    join(dir, 'root'),
    lowerdirs,
    join(dir, 'upper'),
    join(dir, 'work'),
    h.name,
  ];
  const child = spawn('ip', args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { PATH: SYSTEM_PATH, LC_ALL: 'C' },
  });
  closeSync(logFd);
  const pid = child.pid;
  child.on('error', () => {});
  child.unref();
  if (!pid) throw new FleetError(`lab: could not start host ${h.name}`, { exitCode: 4 });
  const start = (await procStart(pid)) ?? '';
  const rec: PidRecord = { pid, start, netns: h.netns };
  await writeFile(join(dir, 'pid'), `${JSON.stringify(rec)}\n`);
  return rec;
}

export async function readPidRecord(stateDir: string, host: string): Promise<PidRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(hostDir(stateDir, host), 'pid'), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** Is `rec` still the process we started (same pid, same start time, an unshare)? */
export async function isOurs(rec: PidRecord): Promise<boolean> {
  if (!rec.start || (await procStart(rec.pid)) !== rec.start) return false;
  try {
    const cmd = (await readFile(`/proc/${rec.pid}/cmdline`, 'utf8')).split('\0');
    const prog = cmd[0] ?? '';
    return (prog.endsWith('unshare') || prog === 'ip') && cmd.includes(rec.netns.replace(/^fleetlab-/, ''));
  } catch {
    return false;
  }
}

/** The host's pid 1 (the unshare's only child), seen from the root pid namespace. */
export async function hostInitPid(rec: PidRecord): Promise<number | undefined> {
  if (!(await isOurs(rec))) return undefined;
  try {
    const kids = (await readFile(`/proc/${rec.pid}/task/${rec.pid}/children`, 'utf8')).trim().split(/\s+/);
    const n = Number(kids[0]);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    const st = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (!st || st.slice(st.lastIndexOf(')') + 2).startsWith('Z')) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

/** Stop a host we started: killing its pid 1 ends its whole pid namespace (and with the last
 * process its mount namespace, so every mount it made goes too); then its unshare exits. */
export async function stopHost(rec: PidRecord): Promise<void> {
  if (!(await isOurs(rec))) return;
  const init = await hostInitPid(rec);
  if (init) {
    try {
      process.kill(init, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (!(await waitGone(rec.pid, 3000)) && (await isOurs(rec))) {
    try {
      process.kill(rec.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitGone(rec.pid, 3000);
  }
}

/** Processes still inside a lab network namespace (e.g. a stray exec); killed by pid. */
export async function killNetnsStragglers(netns: string): Promise<void> {
  const r = await run('ip', ['netns', 'pids', netns]);
  if (!r.ok) return;
  for (const p of r.stdout.split(/\s+/).filter(Boolean)) {
    const pid = Number(p);
    if (Number.isInteger(pid) && pid > 1) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

/** Run argv INSIDE a host (its namespaces and root), as root. For test set-up, not for fleet. */
export async function execInHost(rec: PidRecord, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (argv.length === 0) throw new InputError('labHostExec: empty command');
  const init = await hostInitPid(rec);
  if (!init) throw new FleetError(`lab: host with netns ${rec.netns} is not running`);
  return run(
    'nsenter',
    [
      '--target',
      String(init),
      '--mount',
      '--uts',
      '--pid',
      '--net',
      '--root',
      '--wd',
      '--',
      'env',
      '-i',
      `PATH=${HOST_PATH}`,
      'HOME=/root',
      'LC_ALL=C',
      ...argv,
    ],
    opts,
  );
}

/** Is sshd listening inside the host? Its pid file appears once it has bound its sockets. */
export async function sshdPidFile(rec: PidRecord): Promise<boolean> {
  const init = await hostInitPid(rec);
  if (!init) return false;
  try {
    const pid = Number((await readFile(`/proc/${init}/root/run/sshd.pid`, 'utf8')).trim());
    return pid > 0;
  } catch {
    return false;
  }
}
