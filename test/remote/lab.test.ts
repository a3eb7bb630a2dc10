/**
 * The SSH layer against lab hosts (real sshd in network namespaces): sudo users, ProxyJump through
 * a bastion on one shared connection, host keys on both hops, a stopped and a frozen sshd.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labHostExec, labStartSshd, labStopSshd } from '../../src/lab/index.js';
import type { LabHost, LabInfo } from '../../src/lab/state.js';
import { ConnectError, HostKeyError, SudoError } from '../../src/remote/errors.js';
import { KeyStore } from '../../src/remote/keys.js';
import { SshPool } from '../../src/remote/pool.js';
import type { HostSpec } from '../../src/remote/target.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ name: 'trem', count: 3, hidden: 2 });
const pools: SshPool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.closeAll()));
});

function spec(h: LabHost, user = 'root'): HostSpec {
  return { name: h.name, address: h.address, user, identity: lab().identityPath, proxyJump: h.proxyJump };
}

function pool(o: { knownHostsFile?: string; connectTimeoutMs?: number } = {}): SshPool {
  const info: LabInfo = lab();
  const lookupHost = (name: string) => {
    const h = info.hosts.find((x) => x.name === name);
    return h ? spec(h) : undefined;
  };
  const p = new SshPool({
    knownHostsFile: o.knownHostsFile ?? info.knownHostsPath,
    keys: new KeyStore({ agentSocket: '' }),
    sshConfig: { configFile: '/dev/null' },
    connectTimeoutMs: o.connectTimeoutMs,
    lookupHost,
  });
  pools.push(p);
  return p;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );
}

const visible = () => lab().hosts.filter((h) => !h.hidden);
const hidden = () => lab().hosts.filter((h) => h.hidden);

describe('lab: sessions and sudo', () => {
  it('runs on every visible host as root, one connection per host', async () => {
    const p = pool();
    for (const h of visible()) {
      const s = await p.session(spec(h));
      expect((await s.run('hostname; id -u')).stdout).toBe(`${h.name}\n0\n`);
      expect(await p.session(spec(h))).toBe(s);
    }
    expect(p.stats()).toEqual({ sessions: visible().length, jumps: 0 });
  });

  it('runs scripts as root through sudo -n for a user with passwordless sudo', async () => {
    const s = await pool().session(spec(visible()[0]!, 'fleet-sudo'));
    const r = await s.run('printf "%s %s" "$(id -u)" "$1"', { args: ["it's me"] });
    expect(r).toMatchObject({ code: 0, stdout: "0 it's me" });
  });

  it('says what to add to sudoers for a user without sudo rights', async () => {
    const h = visible()[0]!;
    const s = await pool().session(spec(h, 'fleet-nosudo'));
    const err = await failure(s.run('id -u'));
    expect(err).toBeInstanceOf(SudoError);
    expect(err.message).toContain(`user fleet-nosudo on host ${h.name} needs passwordless sudo for fleet`);
    expect((err as SudoError).hint).toContain('fleet-nosudo ALL=(root) NOPASSWD: ALL');
    expect((err as SudoError).status).toBe('failed');
  });
});

describe('lab: ProxyJump', () => {
  it('reaches every hidden host through ONE shared connection to the bastion', async () => {
    const p = pool();
    const bastion = lab().hosts.find((h) => h.name === hidden()[0]!.proxyJump)!;
    const sessions = await Promise.all(hidden().map((h) => p.session(spec(h))));
    for (const [i, s] of sessions.entries())
      expect((await s.run('hostname')).stdout).toBe(`${hidden()[i]!.name}\n`);
    expect(p.stats()).toEqual({ sessions: hidden().length, jumps: 1 });
    const fresh = await p.openFresh(spec(hidden()[0]!));
    expect((await fresh.run('echo fresh')).stdout).toBe('fresh\n');
    expect(p.stats().jumps).toBe(1);
    // On the bastion: one SSH connection from the workstation, however many hosts are behind it.
    const ss = await labHostExec(lab(), bastion.name, [
      'ss',
      '-Htn',
      'state',
      'established',
      '( sport = :22 )',
    ]);
    const fromWorkstation = ss.stdout.split('\n').filter((l) => l.includes(lab().workstation.v4));
    expect(fromWorkstation).toHaveLength(1);
  });

  it('reports a stopped sshd behind the bastion in words that name the bastion', async () => {
    const target = hidden()[1]!;
    await labStopSshd(lab(), target.name, 'TERM');
    try {
      const err = await failure(pool().session(spec(target)));
      expect(err).toBeInstanceOf(ConnectError);
      expect(err.message).toMatch(
        new RegExp(
          `^cannot reach ${target.address} port 22 through jump host ${target.proxyJump}: .*(refused|failure)`,
          'i',
        ),
      );
    } finally {
      await labStartSshd(lab(), target.name);
    }
  });

  it('checks the host key of the host behind the bastion, not only the bastion', async () => {
    const target = hidden()[0]!;
    const text = await readFile(lab().knownHostsPath, 'utf8');
    const kh = join(lab().stateDir, 'kh-no-hidden');
    writeFileSync(
      kh,
      text
        .split('\n')
        .filter((l) => !l.startsWith(`${target.name},`))
        .join('\n'),
    );
    const err = await failure(pool({ knownHostsFile: kh }).session(spec(target)));
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as HostKeyError).problem).toBe('unknown');
    expect(err.message).toContain(target.address);
  });

  it('checks the bastion host key too', async () => {
    const target = hidden()[0]!;
    const text = await readFile(lab().knownHostsPath, 'utf8');
    const kh = join(lab().stateDir, 'kh-no-bastion');
    writeFileSync(
      kh,
      text
        .split('\n')
        .filter((l) => !l.startsWith(`${target.proxyJump},`))
        .join('\n'),
    );
    const err = await failure(pool({ knownHostsFile: kh }).session(spec(target)));
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as HostKeyError).host).toBe(target.proxyJump);
  });
});

describe('lab: broken hosts', () => {
  it('refuses a host whose key changed (another host key under its name)', async () => {
    const [a, b] = visible();
    const lines = (await readFile(lab().knownHostsPath, 'utf8')).split('\n');
    const keyOfB = lines
      .find((l) => l.startsWith(`${b!.name},`))!
      .split(' ')
      .slice(1)
      .join(' ');
    const kh = join(lab().stateDir, 'kh-swapped');
    writeFileSync(kh, `${a!.address} ${keyOfB}\n`);
    const err = await failure(pool({ knownHostsFile: kh }).session(spec(a!)));
    expect(err).toBeInstanceOf(HostKeyError);
    expect(err.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED.*SHA256:[A-Za-z0-9+/]{43}/);
  });

  it('reports a stopped sshd as unreachable: connection refused', async () => {
    const h = visible()[1]!;
    await labStopSshd(lab(), h.name, 'TERM');
    try {
      const err = await failure(pool().session(spec(h)));
      expect(err).toBeInstanceOf(ConnectError);
      expect(err.message).toBe(`${h.address} port 22: connection refused`);
      expect((err as ConnectError).status).toBe('unreachable');
    } finally {
      await labStartSshd(lab(), h.name);
    }
  });

  it('cuts off a frozen sshd (SIGSTOP) at the connect timeout', async () => {
    const h = visible()[2]!;
    await labStopSshd(lab(), h.name, 'STOP');
    try {
      const t0 = Date.now();
      const err = await failure(pool({ connectTimeoutMs: 2000 }).session(spec(h)));
      expect(Date.now() - t0).toBeLessThan(6000);
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as ConnectError).kind).toBe('timeout');
      expect(err.message).toContain('timed out after 2s');
    } finally {
      await labStopSshd(lab(), h.name, 'CONT');
    }
  });

  it('cuts off a command when the host freezes mid-session (command timeout)', async () => {
    const h = visible()[0]!;
    const s = await pool().session(spec(h));
    const [pid, comm] = (await s.run('echo $PPID; cat /proc/$PPID/comm')).stdout.trim().split('\n');
    expect(comm).toBe('sshd');
    await labHostExec(lab(), h.name, ['kill', '-STOP', pid!]);
    try {
      const t0 = Date.now();
      const r = await s.run('echo never', { timeoutMs: 1000 });
      expect(r).toMatchObject({ timedOut: true, code: null });
      expect(Date.now() - t0).toBeLessThan(4000);
    } finally {
      await labHostExec(lab(), h.name, ['kill', '-CONT', pid!]);
    }
  });
});
