/**
 * Where and how to connect to a host: the inventory's values merged with ssh_config.
 *
 * The inventory acts like ssh's command line (as Ansible does): the host's `address` is the
 * destination looked up in ssh_config (so `Host` patterns match the address, and HostName may
 * rewrite it); `user`, `port`, `proxyJump` given by the inventory win over ssh_config (like
 * `-l`, `-p`, `-J`); an inventory `identity` is tried first, before ssh_config's IdentityFiles
 * (like `-i`). What the inventory leaves unset comes from ssh_config, then OpenSSH's defaults.
 */
import { userInfo } from 'node:os';
import { SshConfigError } from './errors.js';
import { resolveSshConfig, type SshConfigOptions, type SshConfigResult } from './ssh-config.js';
import { expandPath, type TokenValues } from './ssh-tokens.js';

/** What connect() needs from a host: the inventory's Host fits; optional fields defer to ssh_config. */
export interface HostSpec {
  name: string;
  address: string;
  port?: number;
  user?: string;
  identity?: string;
  sudo?: boolean;
  proxyJump?: string;
}

export interface ResolvedTarget {
  /** Inventory name (or the jump destination as written), for messages. */
  label: string;
  hostname: string;
  port: number;
  user: string;
  /** Expanded paths, in the order they are tried. */
  identityFiles: string[];
  explicitFiles: Set<string>;
  identitiesOnly: boolean;
  /** The name the host key is filed under in known_hosts. */
  knownHostsName: string;
  /** Jump hosts, first hop first; empty for a direct connection. */
  jumps: ResolvedTarget[];
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  sudo: boolean;
  warnings: string[];
}

export interface TargetOptions {
  sshConfig?: SshConfigOptions;
  /** Wins over ssh_config's ConnectTimeout; default ConnectTimeout, else 10 s. */
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Resolve a ProxyJump name that is an inventory host. */
  lookupHost?: (name: string) => HostSpec | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEPALIVE_MS = 15_000;
const DEFAULT_KEEPALIVE_COUNT = 3;

export function resolveTarget(host: HostSpec, opts: TargetOptions = {}, depth = 0): ResolvedTarget {
  if (depth > 8)
    throw new SshConfigError(host.name, `ProxyJump chain for ${host.name} is too long (a loop?)`);
  const cfg = resolveSshConfig(host.address, opts.sshConfig);
  const user = host.user ?? cfg.user;
  const port = host.port ?? cfg.port;
  const jumpSpec = host.proxyJump ?? cfg.proxyJump;
  if (!jumpSpec && cfg.proxyCommand) throw proxyCommandError(host, cfg);
  const files = identityFiles(host, cfg, {
    user,
    port,
    home: opts.sshConfig?.home,
    localUser: opts.sshConfig?.localUser,
  });
  return {
    label: host.name,
    hostname: cfg.hostname,
    port,
    user,
    identityFiles: files.list,
    explicitFiles: files.explicit,
    identitiesOnly: cfg.identitiesOnly,
    knownHostsName: cfg.hostKeyAlias ?? knownName(cfg.hostname, port),
    jumps: jumpSpec ? resolveJumps(jumpSpec, opts, depth) : [],
    connectTimeoutMs: opts.connectTimeoutMs ?? secondsMs(cfg.connectTimeoutS) ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepaliveIntervalMs:
      opts.keepaliveIntervalMs ?? secondsMs(cfg.serverAliveIntervalS) ?? DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: opts.keepaliveCountMax ?? cfg.serverAliveCountMax ?? DEFAULT_KEEPALIVE_COUNT,
    sudo: host.sudo === true || user !== 'root',
    warnings: cfg.warnings,
  };
}

function knownName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function secondsMs(s: number | undefined): number | undefined {
  return s === undefined || Number.isNaN(s) || s <= 0 ? undefined : s * 1000;
}

function proxyCommandError(host: HostSpec, cfg: SshConfigResult): SshConfigError {
  return new SshConfigError(
    host.name,
    `ssh_config gives ${host.address} a ProxyCommand (${cfg.proxyCommand}), which fleet does not run`,
    'use ProxyJump (in ssh_config or the inventory field proxy_jump) instead of ProxyCommand',
  );
}

interface Who {
  user: string;
  port: number;
  home?: string;
  localUser?: string;
}

function identityFiles(host: HostSpec, cfg: SshConfigResult, who: Who) {
  const me = userInfo();
  const tokens: TokenValues = {
    host: cfg.hostname,
    original: cfg.alias,
    user: who.user,
    port: who.port,
    localUser: who.localUser ?? me.username,
    home: who.home ?? me.homedir,
    uid: me.uid,
    hostKeyAlias: cfg.hostKeyAlias,
  };
  const raw = host.identity
    ? [host.identity, ...(cfg.identityFilesConfigured ? cfg.identityFiles : [])]
    : cfg.identityFiles;
  const list = [...new Set(raw.map((f) => expandPath(f, tokens)))];
  const explicit = new Set(host.identity || cfg.identityFilesConfigured ? list : []);
  return { list, explicit };
}

/** `[user@]host[:port]` or `ssh://[user@]host[:port]`, one element of a ProxyJump list. */
export function parseJump(spec: string): { user?: string; host: string; port?: number } {
  const s = spec.replace(/^ssh:\/\//, '');
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : undefined;
  const hp = at >= 0 ? s.slice(at + 1) : s;
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(hp) ?? /^([^:]+)(?::(\d+))?$/.exec(hp);
  const host = m?.[1] ?? hp;
  const port = m?.[2] ? Number(m[2]) : undefined;
  return { user: user || undefined, host, port };
}

/** A ProxyJump list as `ssh -G` prints it: earlier hops as written, the last one normalized. */
export function canonicalJump(spec: string): string {
  const cut = spec.lastIndexOf(',');
  const extra = cut >= 0 ? `${spec.slice(0, cut)},` : '';
  const j = parseJump(spec.slice(cut + 1));
  const numeric = j.host.includes(':') || /^[0-9.]+$/.test(j.host);
  const host = numeric ? `[${j.host}]` : j.host;
  return `${extra}${j.user ? `${j.user}@` : ''}${host}${j.port ? `:${j.port}` : ''}`;
}

/**
 * `a,b,c`: reach c through b through a. The first hop is resolved with its own ssh_config
 * (including its own ProxyJump); each later hop jumps through the hops before it.
 */
function resolveJumps(spec: string, opts: TargetOptions, depth: number): ResolvedTarget[] {
  const hops = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const last = hops.at(-1);
  if (last === undefined) return [];
  const bastion = resolveTarget(jumpHostSpec(last, opts, hops.slice(0, -1).join(',')), opts, depth + 1);
  return [...bastion.jumps, bastion];
}

function jumpHostSpec(hop: string, opts: TargetOptions, prefix: string): HostSpec {
  const inventory = opts.lookupHost?.(hop);
  if (inventory) return prefix ? { ...inventory, proxyJump: prefix } : inventory;
  const j = parseJump(hop);
  return { name: hop, address: j.host, user: j.user, port: j.port, proxyJump: prefix || undefined };
}
