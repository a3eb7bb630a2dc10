import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from '../../src/remote/keys.js';
import { SshPool } from '../../src/remote/pool.js';
import type { RemoteSession } from '../../src/remote/types.js';
import { startSshd, type TestSshd } from './sshd.js';

let sshd: TestSshd;
let pool: SshPool;
let session: RemoteSession;

beforeAll(async () => {
  sshd = await startSshd();
  const kh = join(sshd.dir, 'known_hosts');
  writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPub}\n`);
  pool = new SshPool({ knownHostsFile: kh, keys: new KeyStore({ agentSocket: '' }) });
  session = await pool.session(host());
});

afterAll(async () => {
  await pool?.closeAll();
  await sshd?.stop();
});

function host() {
  return { name: 'local', address: '127.0.0.1', port: sshd.port, user: 'root', identity: sshd.clientKey };
}

describe('run', () => {
  it('passes args as separate words and stdin as data', async () => {
    const args = ['a b', "it's", '$(touch /tmp/pwned)', '*', 'ünï'];
    const r = await session.run(`printf '<%s>' "$@"; printf '|'; cat; printf '|%s' "$0"`, {
      args,
      stdin: 'in\nput',
    });
    expect(r).toMatchObject({ code: 0, timedOut: false, stderr: '' });
    expect(r.stdout).toBe("<a b><it's><$(touch /tmp/pwned)><*><ünï>|in\nput|fleet");
  });

  it('returns a failing exit code and stderr as data', async () => {
    const r = await session.run('echo oops >&2; exit 3');
    expect(r).toMatchObject({ code: 3, stdout: '', stderr: 'oops\n', timedOut: false });
  });

  it('ends stdin even when none is given', async () => {
    const r = await session.run('cat; echo done');
    expect(r.stdout).toBe('done\n');
  });

  it('reports a command killed by a signal', async () => {
    const r = await session.run('kill -TERM $$');
    expect(r.code).toBeNull();
    expect(r.signal).toMatch(/TERM/);
  });

  it('cuts off a command at its timeout and keeps the session usable', async () => {
    const t0 = Date.now();
    const r = await session.run('echo started; sleep 30', { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((await session.run('echo ok')).stdout).toBe('ok\n');
  });
});

describe('pool', () => {
  it('reuses one session per host and opens fresh ones on demand', async () => {
    expect(await pool.session(host())).toBe(session);
    const fresh = await pool.openFresh(host());
    expect(fresh).not.toBe(session);
    expect((await fresh.run('echo $PPID')).stdout).not.toBe((await session.run('echo $PPID')).stdout);
    await fresh.close();
  });
});
