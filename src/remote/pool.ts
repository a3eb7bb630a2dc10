/**
 * Connections for a run: one session per host, reused by every operation; one connection per
 * jump host (bastion), shared by every host behind it; and openFresh() for the apply step that
 * must prove a NEW connection works. Host keys are checked on every hop.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { ConnectError } from './errors.js';
import type { HostKeyPolicy } from './host-key.js';
import { KeyStore } from './keys.js';
import { KnownHosts } from './known-hosts.js';
import { Limiter } from './limiter.js';
import { SshSession } from './session.js';
import { type HostSpec, type ResolvedTarget, resolveTarget, type TargetOptions } from './target.js';
import { endClient, forwardThrough, handshake, tcpConnect } from './transport.js';
import type { RemoteSession } from './types.js';

export interface PoolOptions extends TargetOptions {
  /** known_hosts to read and to record new keys in; default ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Also read these (read only), e.g. /etc/ssh/ssh_known_hosts. */
  extraKnownHostsFiles?: string[];
  /** Record unknown host keys instead of refusing them (--trust-new-hosts). */
  trustNewHosts?: boolean;
  /** Shared keys and agent identities; default a new store (SSH_AUTH_SOCK, FLEET_SSH_PASSPHRASE). */
  keys?: KeyStore;
  /** Default timeout of each run() that does not give one. */
  commandTimeoutMs?: number;
  /** ssh_config lines fleet did not honor (e.g. `Match exec`), once per distinct message. */
  onWarning?: (host: string, message: string) => void;
  /** Handshakes in progress at once (TCP connect, key exchange, auth); default 64. */
  maxHandshakes?: number;
}

/**
 * Why a limit: the client's side of a handshake is ~10 ms of CPU on one thread. Hundreds
 * started at once all advance together and all finish late, so on a loaded workstation every
 * one of them can pass its connect timeout (measured: 200 at once on the 2-core lab at load
 * ~40, the last 100 timed out together; bench/README.md). In line, each connection's timeout
 * starts when its handshake does. 64 keeps a fleet on a high-latency network busy too.
 */
export const DEFAULT_MAX_HANDSHAKES = 64;

export class SshPool {
  private readonly sessions = new Map<string, Promise<SshSession>>();
  private readonly jumps = new Map<string, Promise<Client>>();
  /** Fresh sessions, with the host each is to. */
  private readonly fresh = new Map<SshSession, string>();
  /** Hosts whose time is up (dropHost): their connections are gone and no new one is opened. */
  private readonly dropped = new Set<string>();
  private policy?: Promise<HostKeyPolicy>;
  private readonly keys: KeyStore;
  private readonly warned = new Set<string>();
  private readonly handshakes: Limiter;

  constructor(private readonly opts: PoolOptions = {}) {
    this.keys = opts.keys ?? new KeyStore();
    this.handshakes = new Limiter(opts.maxHandshakes ?? DEFAULT_MAX_HANDSHAKES);
  }

  /** The host's shared session: connects on first use, reconnects if the connection died. */
  session(host: HostSpec): Promise<RemoteSession> {
    return this.sharedSession(host);
  }

  /** A new connection (fresh TCP and handshake to the host itself; jump hosts stay shared), ahead in line. */
  async openFresh(host: HostSpec): Promise<RemoteSession> {
    const s = await this.open(host, () => this.fresh.delete(s), true);
    this.fresh.set(s, host.name);
    return s;
  }

  /**
   * Ends every connection to `name` at once (its time is up, or the user aborted it): destroyed,
   * not ended, so a host that drops packets cannot keep the process alive while the kernel
   * retransmits a FIN for minutes. Connections to it opened later fail at once.
   */
  dropHost(name: string): void {
    this.dropped.add(name);
    const shared = this.sessions.get(name);
    this.sessions.delete(name);
    shared?.then(
      (s) => s.destroy(),
      () => undefined,
    );
    for (const [s, host] of this.fresh) if (host === name) s.destroy();
  }

  /** How many connections are open: to hosts (shared and fresh) and to jump hosts. */
  stats(): { sessions: number; jumps: number } {
    return { sessions: this.sessions.size + this.fresh.size, jumps: this.jumps.size };
  }

  async closeAll(): Promise<void> {
    const sessions = [...(await settled(this.sessions.values())), ...this.fresh.keys()];
    await Promise.all(sessions.map((s) => s.close()));
    const jumps = await settled(this.jumps.values());
    this.sessions.clear();
    this.jumps.clear();
    await Promise.all(jumps.reverse().map(endClient));
  }

  private async sharedSession(host: HostSpec): Promise<SshSession> {
    const cached = this.sessions.get(host.name);
    const s = cached && (await cached.catch(() => undefined));
    if (s?.alive) return s;
    const p = this.open(host, () => {
      if (this.sessions.get(host.name) === p) this.sessions.delete(host.name);
    });
    this.sessions.set(host.name, p);
    p.catch(() => this.sessions.get(host.name) === p && this.sessions.delete(host.name));
    return p;
  }

  private async open(host: HostSpec, onClose: () => void, urgent = false): Promise<SshSession> {
    const t = resolveTarget(host, this.opts);
    this.warn(t);
    this.refuseDropped(host.name);
    const client = await this.hop(t, urgent);
    if (this.dropped.has(host.name)) client.destroy();
    this.refuseDropped(host.name);
    const info = { label: t.label, user: t.user, sudo: t.sudo, defaultTimeoutMs: this.opts.commandTimeoutMs };
    return new SshSession(client, { ...info, onClose });
  }

  /** Connect to `t`, through its jump hosts (each shared by key); the handshake waits its turn. */
  private async hop(t: ResolvedTarget, urgent: boolean): Promise<Client> {
    const policy = await this.hostKeyPolicy();
    const bastion = t.jumps.at(-1);
    const via = bastion ? await this.sharedJump(bastion) : undefined;
    return this.handshakes.run(async () => {
      const deadline = Date.now() + t.connectTimeoutMs;
      const sock: Duplex = via
        ? await forwardThrough(via, t, bastion!.label, deadline)
        : await tcpConnect(t, deadline);
      return handshake(sock, t, { policy, keys: this.keys, deadline });
    }, urgent);
  }

  private sharedJump(t: ResolvedTarget): Promise<Client> {
    const key = jumpKey(t);
    const existing = this.jumps.get(key);
    if (existing) return existing;
    const p = this.hop(t, false);
    this.jumps.set(key, p);
    const forget = () => this.jumps.get(key) === p && this.jumps.delete(key);
    p.then((c) => c.once('close', forget), forget);
    return p;
  }

  private refuseDropped(name: string): void {
    if (!this.dropped.has(name)) return;
    throw new ConnectError(`not connecting to ${name}: its time is up`, { kind: 'closed', host: name });
  }

  private warn(t: ResolvedTarget): void {
    for (const w of [...t.warnings, ...t.jumps.flatMap((j) => j.warnings)]) {
      if (this.warned.has(w)) continue;
      this.warned.add(w);
      this.opts.onWarning?.(t.label, w);
    }
  }

  private hostKeyPolicy(): Promise<HostKeyPolicy> {
    const file = this.opts.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
    const files = [file, ...(this.opts.extraKnownHostsFiles ?? [])];
    this.policy ??= KnownHosts.load(files).then((knownHosts) => ({
      knownHosts,
      trustNew: !!this.opts.trustNewHosts,
    }));
    return this.policy;
  }
}

/** A hop's identity: who connects where, through which hops. */
function jumpKey(t: ResolvedTarget): string {
  return [...t.jumps, t].map((h) => `${h.user}@${h.hostname}:${h.port}`).join(',');
}

async function settled<T>(ps: Iterable<Promise<T>>): Promise<T[]> {
  const rs = await Promise.allSettled(ps);
  return rs.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}
