/** `~` and `%x` expansion for ssh_config paths (ssh_config(5) TOKENS). */
import { createHash } from 'node:crypto';
import { hostname as localHostname } from 'node:os';

export interface TokenValues {
  /** %h remote host name (after HostName). */
  host: string;
  /** %n the original name given on the command line (the alias). */
  original: string;
  /** %r remote user. */
  user: string;
  /** %p port. */
  port: number;
  /** %u local user name; %d local home; %i local uid. */
  localUser: string;
  home: string;
  uid: number;
  /** %k the HostKeyAlias if set, else the host. */
  hostKeyAlias?: string;
  /** %j the ProxyJump value, if any. */
  jump?: string;
}

/** Replace `~/` (and a bare `~`) with the home directory. */
export function expandTilde(path: string, home: string): string {
  if (path === '~') return home;
  return path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

export function expandTokens(s: string, t: TokenValues): string {
  const local = localHostname();
  const table: Record<string, () => string> = {
    '%': () => '%',
    h: () => t.host,
    n: () => t.original,
    r: () => t.user,
    p: () => String(t.port),
    u: () => t.localUser,
    d: () => t.home,
    i: () => String(t.uid),
    l: () => local,
    L: () => local.split('.')[0] ?? local,
    k: () => t.hostKeyAlias ?? t.host,
    j: () => t.jump ?? '',
    C: () => connectionHash(local, t),
  };
  return s.replace(/%(.)/g, (whole, c: string) => table[c]?.() ?? whole);
}

function connectionHash(local: string, t: TokenValues): string {
  const text = `${local}${t.host}${t.port}${t.user}${t.jump ?? ''}`;
  return createHash('sha1').update(text).digest('hex');
}

/** `${NAME}` environment references (allowed in IdentityFile and friends since OpenSSH 8.4). */
export function expandEnv(s: string, env: NodeJS.ProcessEnv = process.env): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_w, name: string) => env[name] ?? '');
}

/** An IdentityFile or known_hosts path as ssh would open it. */
export function expandPath(path: string, t: TokenValues): string {
  return expandTokens(expandTilde(expandEnv(path), t.home), t);
}
