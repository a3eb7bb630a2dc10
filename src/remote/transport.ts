/**
 * One SSH hop: a TCP socket with TCP_NODELAY from the first byte (or a direct-tcpip channel
 * through a jump host), then ssh2's handshake with our host key verifier and auth plan.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { planAuth } from './auth.js';
import { classifyError } from './classify.js';
import { algorithms } from './crypto-prefs.js';
import { ConnectError } from './errors.js';
import { type HostKeyPolicy, hostVerification } from './host-key.js';
import type { KeyStore } from './keys.js';
import type { ResolvedTarget } from './target.js';

export interface HopOptions {
  policy: HostKeyPolicy;
  keys: KeyStore;
  /** Milliseconds since the epoch by which the hop must be ready. */
  deadline: number;
}

/** A TCP connection with Nagle off before the first byte is sent. */
export function tcpConnect(t: ResolvedTarget, deadline: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: t.hostname, port: t.port, noDelay: true });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(timeoutError(t));
    }, remaining(deadline));
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(classifyError(err, t));
    });
  });
}

/** A direct-tcpip channel from `via` to the target: the target's TCP connection, made by the bastion. */
export function forwardThrough(
  via: Client,
  t: ResolvedTarget,
  viaLabel: string,
  deadline: number,
): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(timeoutError(t, ` through jump host ${viaLabel}`));
    }, remaining(deadline));
    via.forwardOut('127.0.0.1', 0, t.hostname, t.port, (err, stream) => {
      clearTimeout(timer);
      if (late) return void stream?.close();
      if (!err) return resolve(stream);
      const msg = `cannot reach ${t.hostname} port ${t.port} through jump host ${viaLabel}: ${err.message}`;
      reject(new ConnectError(msg, { kind: 'refused', host: t.label, cause: err }));
    });
  });
}

/** Handshake, verify the host key, authenticate. Resolves with a ready client. */
export async function handshake(sock: Duplex, t: ResolvedTarget, opts: HopOptions): Promise<Client> {
  const check = hostVerification({ label: t.label, lookupName: t.knownHostsName }, opts.policy);
  const auth = await planAuth({ ...t, host: t.label, keys: opts.keys });
  const client = new Client();
  return new Promise((resolve, reject) => {
    client.once('ready', () => {
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      resolve(client);
    });
    client.once('error', (err: Error & { level?: string }) => {
      client.on('error', () => undefined);
      client.end();
      sock.destroy();
      const refused = check.refusal();
      if (refused) reject(refused);
      else if (err.level === 'client-authentication') reject(auth.failure());
      else reject(classifyError(err, t));
    });
    client.connect({
      sock: sock as unknown as Socket,
      username: t.user,
      hostVerifier: check.verifier,
      authHandler: auth.handler,
      algorithms: algorithms(opts.policy.knownHosts.knownTypes(t.knownHostsName)),
      readyTimeout: remaining(opts.deadline),
      keepaliveInterval: t.keepaliveIntervalMs,
      keepaliveCountMax: t.keepaliveCountMax,
    });
  });
}

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

function timeoutError(t: ResolvedTarget, via = ''): ConnectError {
  const s = Math.round(t.connectTimeoutMs / 100) / 10;
  return new ConnectError(`connection to ${t.hostname} port ${t.port}${via} timed out after ${s}s`, {
    kind: 'timeout',
    host: t.label,
  });
}

const CLOSE_GRACE_MS = 2000;

/** Ends a client politely; one that has not closed within 2 s is destroyed (a host dropping packets). */
export function endClient(c: Client): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      c.destroy();
      resolve();
    }, CLOSE_GRACE_MS);
    c.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    c.end();
  });
}
