/**
 * Typed SSH errors. Each says what happened in words a person can act on, and carries a `status`
 * hint for the engine: `unreachable` when no working session to the host could be made (network,
 * timeout, authentication, host key), `failed` when we reached the host but cannot work on it
 * (sudo refused, an unsupported ssh_config feature).
 */
import { EXIT, FleetError } from '../errors.js';

export type RemoteStatus = 'unreachable' | 'failed';

export type RemoteErrorKind =
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'network'
  | 'closed'
  | 'auth'
  | 'agent'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'protocol'
  | 'sudo'
  | 'config';

export interface RemoteErrorInit {
  kind: RemoteErrorKind;
  host: string;
  status?: RemoteStatus;
  hint?: string;
  cause?: unknown;
}

export class RemoteError extends FleetError {
  readonly kind: RemoteErrorKind;
  readonly status: RemoteStatus;
  /** Inventory name (or ssh destination) of the host the error is about. */
  readonly host: string;
  constructor(message: string, init: RemoteErrorInit) {
    super(message, { exitCode: EXIT.hostFailed, hint: init.hint, cause: init.cause });
    this.kind = init.kind;
    this.host = init.host;
    this.status = init.status ?? 'unreachable';
  }
}

/** TCP, DNS, timeouts, a connection that died. */
export class ConnectError extends RemoteError {}

export class AuthError extends RemoteError {
  /** What was offered, in order: `agent key ED25519 SHA256:...`, `key ~/.ssh/id_ed25519`. */
  readonly tried: string[];
  constructor(host: string, user: string, tried: string[], notes: string[] = []) {
    const list = tried.length ? tried.join(', ') : 'no keys: none found, agent empty or absent';
    const extra = notes.length ? `; ${notes.join('; ')}` : '';
    super(`authentication failed for ${user}@${host} (tried: ${list})${extra}`, {
      kind: 'auth',
      host,
      hint: 'check the user, the IdentityFile, FLEET_SSH_PASSPHRASE or ssh-add, and authorized_keys on the host',
    });
    this.tried = tried;
  }
}

export type HostKeyProblem = 'unknown' | 'changed' | 'revoked';

export class HostKeyError extends RemoteError {
  readonly problem: HostKeyProblem;
  /** `SHA256:...` of the key the server presented. */
  readonly fingerprint: string;
  constructor(host: string, problem: HostKeyProblem, detail: string, fingerprint: string) {
    super(detail, { kind: `host-key-${problem}`, host, hint: HOST_KEY_HINTS[problem] });
    this.problem = problem;
    this.fingerprint = fingerprint;
  }
}

const HOST_KEY_HINTS: Record<HostKeyProblem, string> = {
  unknown: 'verify the fingerprint out of band, then run with --trust-new-hosts to record it',
  changed:
    'if the host was reinstalled, remove the old entry (ssh-keygen -R HOST -f KNOWN_HOSTS) and connect again; otherwise investigate: someone may be intercepting the connection',
  revoked: 'the key is marked @revoked in known_hosts: the host must get a new key',
};

/** sudo -n refused: a password would be needed, or sudo is missing. */
export class SudoError extends RemoteError {
  constructor(host: string, user: string, detail: 'password' | 'missing', stderr: string) {
    const what =
      detail === 'missing'
        ? `sudo is not installed on ${host}, and user ${user} is not root`
        : `user ${user} on host ${host} needs passwordless sudo for fleet`;
    super(`${what} (sudo said: ${stderr.trim().split('\n')[0] ?? ''})`, {
      kind: 'sudo',
      host,
      status: 'failed',
      hint: `add \`${user} ALL=(root) NOPASSWD: ALL\` to /etc/sudoers.d/fleet on the host (visudo -f), or connect as root`,
    });
  }
}

/** Something in ssh_config that fleet cannot honor (ProxyCommand, Match exec when told to fail). */
export class SshConfigError extends RemoteError {
  constructor(host: string, message: string, hint?: string) {
    super(message, { kind: 'config', host, status: 'failed', hint });
  }
}
