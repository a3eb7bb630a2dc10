/**
 * A RemoteSession over one authenticated ssh2 client: each run() is one exec channel running
 * `[sudo -n] sh -c SCRIPT fleet ARGS...`, with the input on stdin (always ended). A command that
 * fails is a result; a lost connection or a sudo that wants a password is an error.
 */
import type { Client, ClientChannel } from 'ssh2';
import { ConnectError, SudoError } from './errors.js';
import { buildCommand } from './quote.js';
import { endClient } from './transport.js';
import type { ExecOptions, ExecResult, RemoteSession } from './types.js';

export interface SessionInfo {
  label: string;
  user: string;
  sudo: boolean;
  /** Applied when run() is given no timeoutMs; 0 or undefined: none. */
  defaultTimeoutMs?: number;
  /** Called once when the session is closed (pool bookkeeping, closing private jump hops). */
  onClose?: () => void;
}

export class SshSession implements RemoteSession {
  readonly hostName: string;
  private lost?: Error;
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly info: SessionInfo,
  ) {
    this.hostName = info.label;
    client.on('error', (err) => {
      this.lost ??= err;
    });
    client.on('close', () => {
      this.lost ??= new Error('connection closed');
      this.markClosed();
    });
  }

  /** False once the connection has died or was closed; the pool then reconnects. */
  get alive(): boolean {
    return !this.closed && this.lost === undefined;
  }

  async run(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (!this.alive) throw this.lostError();
    const command = buildCommand({ script, args: opts.args, sudo: this.info.sudo });
    const timeoutMs = opts.timeoutMs ?? this.info.defaultTimeoutMs;
    let result = await runChannel(this.client, command, opts, timeoutMs);
    if (result === 'lost') {
      await new Promise((r) => setTimeout(r, 50));
      if (!this.alive) throw this.lostError();
      result = {
        code: null,
        stdout: '',
        stderr: 'fleet: the channel closed without an exit status',
        timedOut: false,
      };
    }
    if (this.info.sudo) checkSudo(result, this.info);
    return result;
  }

  /** Ends the connection (destroyed if it has not closed within 2 s: a host dropping packets). */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = endClient(this.client);
    this.markClosed();
    return done;
  }

  /** Drops the TCP connection at once, as a network failure would (used by tests of apply). */
  destroy(): void {
    this.client.destroy();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.info.onClose?.();
  }

  private lostError(): ConnectError {
    const why = this.lost ? `: ${this.lost.message}` : '';
    return new ConnectError(`connection to ${this.hostName} lost${why}`, {
      kind: 'closed',
      host: this.hostName,
    });
  }
}

const SUDO_PASSWORD =
  /^sudo: (a password is required|a terminal is required|.*is not in the sudoers file|.*is not allowed to)/m;
const SUDO_MISSING = /sudo: (command )?not found/;

function checkSudo(r: ExecResult, info: SessionInfo): void {
  if (r.code === 1 && SUDO_PASSWORD.test(r.stderr))
    throw new SudoError(info.label, info.user, 'password', r.stderr);
  if (r.code === 127 && SUDO_MISSING.test(r.stderr))
    throw new SudoError(info.label, info.user, 'missing', r.stderr);
}

/** Open one exec channel and collect its output; 'lost' when the connection died under it. */
function runChannel(
  client: Client,
  command: string,
  opts: ExecOptions,
  timeoutMs?: number,
): Promise<ExecResult | 'lost'> {
  return new Promise((resolve) => {
    const out = new Collector();
    let settled = false;
    let channel: ClientChannel | undefined;
    const finish = (r: ExecResult | 'lost') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = timeoutMs ? setTimeout(() => finish(kill(channel, out)), timeoutMs) : undefined;
    client.exec(command, (err, ch) => {
      if (err)
        return finish(isChannelRefusal(err) ? out.result(null, undefined, false, err.message) : 'lost');
      channel = ch;
      if (settled) return void ch.close();
      out.attach(ch, opts);
      ch.on('close', () => finish(out.exited ? out.final() : 'lost'));
      if (!opts.holdStdinUntil) return void ch.end(opts.stdin ?? '');
      if (opts.stdin !== undefined) ch.write(opts.stdin);
      const end = () => ch.end();
      opts.holdStdinUntil.then(end, end);
    });
  });
}

function isChannelRefusal(err: Error): boolean {
  return /open failure|administratively prohibited|resource shortage/i.test(err.message);
}

function kill(channel: ClientChannel | undefined, out: Collector): ExecResult {
  try {
    channel?.signal('KILL');
    channel?.close();
  } catch {
    /* the channel may already be gone */
  }
  return out.result(null, undefined, true);
}

class Collector {
  private readonly stdout: Buffer[] = [];
  private readonly stderr: Buffer[] = [];
  exited = false;
  private code: number | null = null;
  private signal?: string;

  attach(ch: ClientChannel, opts: ExecOptions): void {
    ch.on('data', (b: Buffer) => {
      this.stdout.push(b);
      opts.onStdout?.(b.toString('utf8'));
    });
    ch.stderr.on('data', (b: Buffer) => {
      this.stderr.push(b);
      opts.onStderr?.(b.toString('utf8'));
    });
    ch.on('exit', (code: number | null, signal?: string) => {
      this.exited = true;
      this.code = code ?? null;
      this.signal = code === null || code === undefined ? signal : undefined;
    });
  }

  final(): ExecResult {
    return this.result(this.code, this.signal, false);
  }

  result(code: number | null, signal: string | undefined, timedOut: boolean, extraErr = ''): ExecResult {
    const stderr = Buffer.concat(this.stderr).toString('utf8') + extraErr;
    const r: ExecResult = { code, stdout: Buffer.concat(this.stdout).toString('utf8'), stderr, timedOut };
    if (signal) r.signal = signal;
    return r;
  }
}
