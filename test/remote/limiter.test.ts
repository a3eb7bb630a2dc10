import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from '../../src/remote/keys.js';
import { Limiter } from '../../src/remote/limiter.js';
import { SshPool } from '../../src/remote/pool.js';
import { startSshd, type TestSshd } from './sshd.js';

/** A task that records its start and ends when told to. */
function task(log: string[], name: string) {
  let end!: () => void;
  const done = new Promise<void>((r) => {
    end = r;
  });
  return {
    end: () => end(),
    fn: async () => {
      log.push(name);
      await done;
      return name;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Limiter', () => {
  it('runs at most max at once, the rest in arrival order, urgent ones first', async () => {
    const lim = new Limiter(2);
    const log: string[] = [];
    const ts = Object.fromEntries(['a', 'b', 'c', 'd', 'u'].map((n) => [n, task(log, n)]));
    const runs = [
      lim.run(ts.a!.fn),
      lim.run(ts.b!.fn),
      lim.run(ts.c!.fn),
      lim.run(ts.d!.fn),
      lim.run(ts.u!.fn, true),
    ];
    await tick();
    expect(log).toEqual(['a', 'b']);
    expect(lim.load).toEqual({ active: 2, waiting: 3 });
    ts.a!.end();
    await tick();
    expect(log).toEqual(['a', 'b', 'u']);
    ts.b!.end();
    ts.u!.end();
    await tick();
    expect(log).toEqual(['a', 'b', 'u', 'c', 'd']);
    ts.c!.end();
    ts.d!.end();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c', 'd', 'u']);
    expect(lim.load).toEqual({ active: 0, waiting: 0 });
  });

  it('a task that fails gives its place to the next', async () => {
    const lim = new Limiter(1);
    const failing = lim.run(async () => {
      throw new Error('boom');
    });
    const next = lim.run(async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('next');
    expect(lim.load.active).toBe(0);
  });

  it('refuses a maximum below one', () => {
    expect(() => new Limiter(0)).toThrow(/at least|>= 1/);
  });
});

describe('SshPool handshakes in line', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd?.stop());

  it('with one handshake at a time, every host still connects, fresh connections too', async () => {
    const kh = join(sshd.dir, 'known_hosts');
    writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPub}\n`);
    const pool = new SshPool({
      knownHostsFile: kh,
      keys: new KeyStore({ agentSocket: '' }),
      maxHandshakes: 1,
    });
    const host = (i: number) => ({
      name: `h${i}`,
      address: '127.0.0.1',
      port: sshd.port,
      user: 'root',
      identity: sshd.clientKey,
    });
    try {
      const hosts = [0, 1, 2, 3].map(host);
      const shared = hosts.map((h) => pool.session(h));
      const fresh = pool.openFresh(hosts[0]!);
      const out = await Promise.all(
        [...shared, fresh].map(async (s) => (await (await s).run('echo ok')).stdout),
      );
      expect(out).toEqual(Array(5).fill('ok\n'));
      expect(pool.stats().sessions).toBe(5);
    } finally {
      await pool.closeAll();
    }
  });
});
