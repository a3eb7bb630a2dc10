/**
 * A real OpenSSH server on 127.0.0.1 for tests, until the lab provides hosts: its own config,
 * host key and authorized_keys in a temp dir, started with `sshd -D -e -f CFG`, stopped by pid.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestSshd {
  port: number;
  dir: string;
  /** `ssh-ed25519 AAAA...` of the server's host key. */
  hostKeyPub: string;
  /** `SHA256:...` of the host key, as ssh-keygen prints it. */
  hostKeyFingerprint: string;
  /** An unencrypted ed25519 client key authorized for root. */
  clientKey: string;
  stop(): Promise<void>;
}

export function keygen(path: string, type = 'ed25519', passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'fleet-test', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

export function keyFingerprint(pubPath: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath], { encoding: 'utf8' }).split(
    ' ',
  )[1]!;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startSshd(extraConfig = ''): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-sshd-'));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKeyPub = keygen(join(dir, 'host_ed25519'));
  const clientKey = join(dir, 'client_ed25519');
  writeFileSync(join(dir, 'authorized_keys'), `${keygen(clientKey)}\n`);
  const port = await freePort();
  writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, port) + extraConfig);
  const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr?.on('data', (b) => {
    log += b;
  });
  await waitListening(port, proc, () => log);
  const hostKeyFingerprint = keyFingerprint(join(dir, 'host_ed25519.pub'));
  return { port, dir, hostKeyPub, hostKeyFingerprint, clientKey, stop: () => stop(proc, dir) };
}

function sshdConfig(dir: string, port: number): string {
  return `Port ${port}
ListenAddress 127.0.0.1
HostKey ${dir}/host_ed25519
AuthorizedKeysFile ${dir}/authorized_keys
PidFile ${dir}/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel ERROR
`;
}

async function waitListening(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`sshd exited: ${log()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function stop(proc: ChildProcess, dir: string): Promise<void> {
  if (proc.exitCode === null && proc.pid) {
    const exited = new Promise((r) => proc.once('exit', r));
    process.kill(proc.pid, 'SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
