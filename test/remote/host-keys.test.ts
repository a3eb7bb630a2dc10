import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyError } from '../../src/remote/errors.js';
import { KeyStore } from '../../src/remote/keys.js';
import { SshPool } from '../../src/remote/pool.js';
import { keygen, startSshd, type TestSshd } from './sshd.js';

let sshd: TestSshd;
const pools: SshPool[] = [];

beforeAll(async () => {
  sshd = await startSshd();
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.closeAll()));
  await sshd?.stop();
});

function pool(knownHostsFile: string, trustNewHosts = false): SshPool {
  const p = new SshPool({ knownHostsFile, trustNewHosts, keys: new KeyStore({ agentSocket: '' }) });
  pools.push(p);
  return p;
}

function host() {
  return { name: 'local', address: '127.0.0.1', port: sshd.port, user: 'root', identity: sshd.clientKey };
}

const name = () => `[127.0.0.1]:${sshd.port}`;

async function refusal(p: SshPool): Promise<HostKeyError> {
  const err = await p.session(host()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HostKeyError);
  return err as HostKeyError;
}

describe('host keys', () => {
  it('refuses an unknown key, then records it with trust-new-hosts (hashed), then knows it', async () => {
    const kh = join(sshd.dir, 'kh-new');
    const err = await refusal(pool(kh));
    expect(err.problem).toBe('unknown');
    expect(err.status).toBe('unreachable');
    expect(err.message).toContain(sshd.hostKeyFingerprint);
    expect(err.message).toContain('--trust-new-hosts');

    const s = await pool(kh, true).session(host());
    expect((await s.run('echo hi')).stdout).toBe('hi\n');
    const text = readFileSync(kh, 'utf8');
    expect(text).toMatch(/^\|1\|[^|]+\|[^ ]+ ssh-ed25519 AAAA\S+\n$/);
    // ssh-keygen finds the hashed entry under the [host]:port name
    expect(execFileSync('ssh-keygen', ['-F', name(), '-f', kh], { encoding: 'utf8' })).toContain(
      'ssh-ed25519',
    );

    const again = await pool(kh).session(host());
    expect((await again.run('echo again')).stdout).toBe('again\n');
  });

  it('always refuses a changed key and shows the fingerprint the server sent', async () => {
    const kh = join(sshd.dir, 'kh-changed');
    const other = keygen(join(sshd.dir, 'impostor'));
    writeFileSync(kh, `# comment\n${name()} ${other}\n`);
    for (const trust of [false, true]) {
      const err = await refusal(pool(kh, trust));
      expect(err.problem).toBe('changed');
      expect(err.message).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
      expect(err.message).toContain(sshd.hostKeyFingerprint);
      expect(err.message).toContain(`${kh}:2`);
      expect(err.fingerprint).toBe(sshd.hostKeyFingerprint);
    }
    expect(readFileSync(kh, 'utf8')).toBe(`# comment\n${name()} ${other}\n`);
  });

  it('accepts hashed entries written by ssh-keygen -H and pattern lists', async () => {
    const kh = join(sshd.dir, 'kh-hashed');
    writeFileSync(
      kh,
      `other.example ${keygen(join(sshd.dir, 'k2'))}\n${name()},[localhost]:${sshd.port} ${sshd.hostKeyPub}\n`,
    );
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).not.toContain('127.0.0.1');
    const s = await pool(kh).session(host());
    expect((await s.run('echo hashed')).stdout).toBe('hashed\n');

    const kh2 = join(sshd.dir, 'kh-pattern');
    writeFileSync(kh2, `[127.0.0.?]:${sshd.port},!10.* ${sshd.hostKeyPub}\n`);
    const s2 = await pool(kh2).session(host());
    expect((await s2.run('echo pattern')).stdout).toBe('pattern\n');
  });

  it('refuses a key marked @revoked', async () => {
    const kh = join(sshd.dir, 'kh-revoked');
    writeFileSync(kh, `@revoked * ${sshd.hostKeyPub}\n${name()} ${sshd.hostKeyPub}\n`);
    const err = await refusal(pool(kh, true));
    expect(err.problem).toBe('revoked');
    expect(err.message).toContain('REVOKED');
  });
});
