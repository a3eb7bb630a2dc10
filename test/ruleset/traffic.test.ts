/**
 * Packets through compiled rules: two namespaces on a veth pair, the "host" running the
 * compiled ruleset and a TCP listener on port 22, the "peer" connecting from a management
 * address and from another one. Shows on real traffic what the lockout guard reasons about:
 * management gets in (IPv4 and IPv6, so neighbour discovery works), others do not, and the
 * `recent` rate limit drops the third new connection in a minute but never management's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src/model/profile.js';
import { compile } from '../../src/ruleset/index.js';
import { Netns, netnsUnavailable, run } from '../support/netns.js';
import { base, HOST, MGMT } from './fixtures/profiles.js';

const why = await netnsUnavailable();

const LISTEN = `require('node:net').createServer((s) => s.end('ok')).listen(22, '::', () => console.log('ready'));`;
const CONNECT = `const [h, l] = process.argv.slice(1);
const s = require('node:net').connect({ host: h, port: 22, localAddress: l, timeout: 1500 });
s.on('data', () => { console.log('connected'); s.destroy(); });
s.on('timeout', () => { console.log('timeout'); s.destroy(); });
s.on('error', (e) => console.log(e.code));`;

describe.skipIf(why !== undefined)('compiled rules on real traffic', () => {
  let host: Netns;
  let peer: Netns;
  let listener: ChildProcess | undefined;
  const veth = `fr${process.pid % 100000}`;

  async function ok(argv: string[], ns?: Netns): Promise<void> {
    const r = ns ? await ns.exec(argv) : await run(argv);
    expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  }

  beforeAll(async () => {
    host = await Netns.create();
    peer = await Netns.create();
    await ok([
      'ip',
      'link',
      'add',
      `${veth}h`,
      'netns',
      host.name,
      'type',
      'veth',
      'peer',
      'name',
      `${veth}p`,
      'netns',
      peer.name,
    ]);
    for (const [ns, dev, addrs] of [
      [host, `${veth}h`, ['192.0.2.1/24', '2001:db8:ffff::1/64']],
      [peer, `${veth}p`, ['192.0.2.10/24', '192.0.2.99/24', '2001:db8:ffff::10/64', '2001:db8:ffff::99/64']],
    ] as const) {
      for (const a of addrs)
        await ok(['ip', 'addr', 'add', a, 'dev', dev, ...(a.includes(':') ? ['nodad'] : [])], ns);
      await ok(['ip', 'link', 'set', dev, 'up'], ns);
      await ok(['ip', 'link', 'set', 'lo', 'up'], ns);
    }
    listener = spawn('ip', ['netns', 'exec', host.name, 'node', '-e', LISTEN], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => listener!.stdout!.once('data', () => resolve()));
  });

  afterAll(async () => {
    if (listener?.pid) process.kill(listener.pid);
    await host?.destroy();
    await peer?.destroy();
  });

  async function load(profile: Profile): Promise<void> {
    const out = compile({ profile, host: { ...HOST, address: '192.0.2.1' }, managementSources: MGMT });
    await host.reset();
    for (const family of [4, 6] as const) {
      const r = await host.restore(family === 4 ? out.v4 : out.v6, { family, noflush: out.noflush });
      expect(r.code, r.stderr).toBe(0);
    }
  }

  async function connect(to: string, from: string): Promise<string> {
    const r = await peer.exec(['node', '-e', CONNECT, to, from]);
    return r.stdout.trim();
  }

  it('lets management in over IPv4 and IPv6 and keeps others out', async () => {
    await load(base);
    expect(await connect('192.0.2.1', '192.0.2.10')).toBe('connected');
    expect(await connect('2001:db8:ffff::1', '2001:db8:ffff::10')).toBe('connected');
    expect(await connect('192.0.2.1', '192.0.2.99')).toBe('timeout');
    expect(await connect('2001:db8:ffff::1', '2001:db8:ffff::99')).toBe('timeout');
  }, 60_000);

  it('rate-limits new SSH connections with recent (hits: 3 lets 3 through), but never management', async () => {
    const open: Profile = {
      ...base,
      ssh: {
        port: 22,
        sources: [...MGMT, { cidr: '192.0.2.0/24', family: 4 }],
        rateLimit: { hits: 3, seconds: 60 },
      },
    };
    await load(open);
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await connect('192.0.2.1', '192.0.2.99'));
    expect(others).toEqual(['connected', 'connected', 'connected', 'timeout']);
    for (let i = 0; i < 5; i++) expect(await connect('192.0.2.1', '192.0.2.10')).toBe('connected');
  }, 60_000);
});
