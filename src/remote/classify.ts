/** Map net and ssh2 errors (by `code`, then ssh2's `err.level`) to typed errors with plain words. */
import { ConnectError, RemoteError, type RemoteErrorKind } from './errors.js';

interface Where {
  label: string;
  hostname: string;
  port: number;
  connectTimeoutMs: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

const BY_CODE: Record<string, [RemoteErrorKind, string]> = {
  ECONNREFUSED: ['refused', 'connection refused'],
  ETIMEDOUT: ['timeout', 'connection timed out'],
  ENOTFOUND: ['dns', 'host name not found'],
  EAI_AGAIN: ['dns', 'host name lookup failed (temporary DNS failure)'],
  EHOSTUNREACH: ['network', 'no route to host'],
  ENETUNREACH: ['network', 'network unreachable'],
  ECONNRESET: ['closed', 'connection reset by peer'],
  EPIPE: ['closed', 'connection closed by peer'],
};

export function classifyError(err: unknown, w: Where): RemoteError {
  if (err instanceof RemoteError) return err;
  const e = err as Error & { code?: string; level?: string };
  const at = `${w.hostname} port ${w.port}`;
  const byCode = e.code ? BY_CODE[e.code] : undefined;
  if (byCode) return make(byCode[0], `${at}: ${byCode[1]}`, w, e);
  switch (e.level) {
    case 'client-timeout':
      return make('timeout', timeoutText(e.message, at, w), w, e);
    case 'client-dns':
      return make('dns', `${at}: host name not found (${e.message})`, w, e);
    case 'agent':
      return make('agent', `ssh-agent failed while signing for ${at}: ${e.message}`, w, e);
    case 'client-authentication':
      return make('auth', `authentication failed at ${at}: ${e.message}`, w, e);
    case 'client-socket':
      return make('closed', `${at}: connection closed (${e.message})`, w, e);
    default:
      return make('protocol', `${at}: SSH protocol error: ${e.message}`, w, e);
  }
}

function timeoutText(message: string, at: string, w: Where): string {
  if (/keepalive/i.test(message)) {
    const s = ((w.keepaliveIntervalMs ?? 0) * (w.keepaliveCountMax ?? 0)) / 1000;
    return `${at}: no answer to keepalives for ${s}s (host hung or network lost)`;
  }
  return `${at}: timed out after ${w.connectTimeoutMs / 1000}s waiting for the SSH handshake`;
}

function make(kind: RemoteErrorKind, message: string, w: Where, cause: unknown): RemoteError {
  return new ConnectError(message, { kind, host: w.label, cause });
}
