import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ConnectError } from '../../src/remote/errors.js';
import { KeyStore } from '../../src/remote/keys.js';
import { SshPool } from '../../src/remote/pool.js';
import { freePort, keygen, startSshd, type TestSshd } from './sshd.js';

let sshd: TestSshd;
let kh: string;
const pools: SshPool[] = [];
let agentPid: number | undefined;

beforeAll(async () => {
  sshd = await startSshd();
  kh = join(sshd.dir, 'known_hosts');
  writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPub}\n`);
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.closeAll()));
  if (agentPid) process.kill(agentPid, 'SIGTERM');
  await sshd?.stop();
});

function pool(keys: KeyStore, extra: object = {}): SshPool {
  const p = new SshPool({ knownHostsFile: kh, keys, ...extra });
  pools.push(p);
  return p;
}

function host(identity?: string, port = sshd.port) {
  return { name: 'local', address: '127.0.0.1', port, user: 'root', identity };
}

function authorize(pub: string): void {
  execFileSync('sh', ['-c', 'cat >> "$1"', 'x', join(sshd.dir, 'authorized_keys')], { input: `${pub}\n` });
}

async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );
}

describe('authentication', () => {
  it('names the user, the host and every key tried when all are refused', async () => {
    const stranger = join(sshd.dir, 'stranger');
    keygen(stranger);
    const err = await failure(pool(new KeyStore({ agentSocket: '' })).session(host(stranger)));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toMatch(/^authentication failed for root@local \(tried: key .*stranger/);
    expect((err as AuthError).status).toBe('unreachable');
  });

  it('notes a missing identity file named explicitly', async () => {
    const err = await failure(pool(new KeyStore({ agentSocket: '' })).session(host('/nonexistent/key')));
    expect(err.message).toContain('key /nonexistent/key');
  });

  it('decrypts a passphrase-protected key with FLEET_SSH_PASSPHRASE', async () => {
    const locked = join(sshd.dir, 'locked_rsa');
    authorize(keygen(locked, 'rsa', 'correct horse'));
    process.env.FLEET_SSH_PASSPHRASE = 'correct horse';
    try {
      const s = await pool(new KeyStore({ agentSocket: '' })).session(host(locked));
      expect((await s.run('echo rsa')).stdout).toBe('rsa\n');
    } finally {
      delete process.env.FLEET_SSH_PASSPHRASE;
    }
    const wrong = new KeyStore({ agentSocket: '', passphrase: async () => 'wrong' });
    const err = await failure(pool(wrong).session(host(locked)));
    expect(err.message).toMatch(/locked_rsa: cannot decrypt/);
  });

  it('uses keys from ssh-agent, and only matching ones with IdentitiesOnly', async () => {
    const sock = join(sshd.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    agentPid = agent.pid;
    for (let i = 0; i < 50 && !(await exists(sock)); i++) await new Promise((r) => setTimeout(r, 50));
    const ecdsa = join(sshd.dir, 'agent_ecdsa');
    authorize(keygen(ecdsa, 'ecdsa'));
    execFileSync('ssh-add', ['-q', ecdsa], { env: { SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const s = await pool(new KeyStore({ agentSocket: sock })).session(host('/nonexistent/key'));
    expect((await s.run('echo agent')).stdout).toBe('agent\n');

    const cfg = join(sshd.dir, 'ssh_config');
    writeFileSync(cfg, 'Host *\n  IdentitiesOnly yes\n  IdentityFile /nonexistent/other\n');
    const only = pool(new KeyStore({ agentSocket: sock }), { sshConfig: { configFile: cfg } });
    const err = await failure(only.session(host()));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).not.toContain('agent key');
  });
});

describe('connection errors', () => {
  it('says "connection refused" for a closed port, as unreachable', async () => {
    const port = await freePort();
    const err = await failure(pool(new KeyStore({ agentSocket: '' })).session(host(sshd.clientKey, port)));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toBe(`127.0.0.1 port ${port}: connection refused`);
    expect((err as ConnectError).status).toBe('unreachable');
  });
});

async function exists(path: string): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  return access(path).then(
    () => true,
    () => false,
  );
}
