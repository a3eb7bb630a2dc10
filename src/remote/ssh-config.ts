/**
 * Resolve a destination through ssh_config the way OpenSSH does (readconf.c, ssh.c):
 * files in order (~/.ssh/config then /etc/ssh/ssh_config, or the one given file), the first
 * obtained value of each keyword wins (IdentityFile accumulates), `Host` and `Match` switch blocks
 * on and off, `Include` reads files in place, and `Match final` re-reads everything against the
 * final host name. `Match exec` does not run anything: by default it does not match.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { matchHostList, matchPattern, matchPatternList } from './pattern.js';
import { anchorInclude, globPaths, readConfigFile } from './ssh-config-files.js';
import type { ConfigLine } from './ssh-config-parse.js';
import { expandTokens } from './ssh-tokens.js';

export interface SshConfigOptions {
  /** Read only this file (like `ssh -F`). Default: ~/.ssh/config, then /etc/ssh/ssh_config. */
  configFile?: string;
  /** Home of the local user (OpenSSH uses the passwd entry, not $HOME). */
  home?: string;
  localUser?: string;
  /** Decide a `Match exec` criterion without running it. Default: does not match (with a warning). */
  exec?: (command: string) => boolean;
}

export interface SshConfigResult {
  alias: string;
  hostname: string;
  user: string;
  port: number;
  /** As written (tokens and `~` not expanded), in order, duplicates dropped; OpenSSH's defaults if none. */
  identityFiles: string[];
  /** True when the list came from the config, not OpenSSH's default list. */
  identityFilesConfigured: boolean;
  proxyJump?: string;
  proxyCommand?: string;
  identitiesOnly: boolean;
  connectTimeoutS?: number;
  serverAliveIntervalS?: number;
  serverAliveCountMax?: number;
  hostKeyAlias?: string;
  /** Every other keyword's first obtained arguments, keyed by the lower-cased keyword. */
  options: Map<string, string[]>;
  warnings: string[];
}

export const DEFAULT_IDENTITY_FILES = [
  '~/.ssh/id_rsa',
  '~/.ssh/id_ecdsa',
  '~/.ssh/id_ecdsa_sk',
  '~/.ssh/id_ed25519',
  '~/.ssh/id_ed25519_sk',
  '~/.ssh/id_xmss',
  '~/.ssh/id_dsa',
];

interface Ctx {
  home: string;
  localUser: string;
  exec: (command: string) => boolean;
  host: string;
  original: string;
  final: boolean;
  wantFinal: boolean;
  values: Map<string, string[]>;
  identityFiles: string[];
  warnings: string[];
}

interface FileFlags {
  userConfig: boolean;
  neverMatch: boolean;
}

export function resolveSshConfig(alias: string, opts: SshConfigOptions = {}): SshConfigResult {
  const me = userInfo();
  const ctx: Ctx = {
    home: opts.home ?? me.homedir,
    localUser: opts.localUser ?? me.username,
    exec: opts.exec ?? noExec,
    host: alias,
    original: alias,
    final: false,
    wantFinal: false,
    values: new Map(),
    identityFiles: [],
    warnings: [],
  };
  readAll(ctx, opts);
  const hostname = currentHostname(ctx).toLowerCase();
  if (ctx.wantFinal) {
    Object.assign(ctx, { host: hostname, final: true });
    ctx.values.set('hostname', [hostname]);
    readAll(ctx, opts);
  }
  return finish(ctx, alias, hostname);
}

function noExec(this: void, _command: string): boolean {
  return false;
}

function readAll(ctx: Ctx, opts: SshConfigOptions): void {
  const files = opts.configFile
    ? [{ path: opts.configFile, user: true }]
    : [
        { path: join(ctx.home, '.ssh', 'config'), user: true },
        { path: '/etc/ssh/ssh_config', user: false },
      ];
  for (const f of files)
    readInto(f.path, ctx, { userConfig: f.user, neverMatch: false }, { active: true }, 0);
}

function readInto(path: string, ctx: Ctx, flags: FileFlags, state: { active: boolean }, depth: number): void {
  if (depth > 16) throw new Error(`${path}: too many nested Include levels`);
  const parsed = readConfigFile(path);
  if (!parsed) return;
  if (!ctx.final) ctx.warnings.push(...parsed.problems);
  for (const line of parsed.lines) processLine(line, ctx, flags, state, depth);
}

function processLine(
  line: ConfigLine,
  ctx: Ctx,
  flags: FileFlags,
  state: { active: boolean },
  depth: number,
): void {
  if (line.keyword === 'host') state.active = !flags.neverMatch && hostLineMatches(ctx.host, line.args);
  else if (line.keyword === 'match') {
    const m = matchLine(line, ctx);
    state.active = !flags.neverMatch && m;
  } else if (line.keyword === 'include') include(line, ctx, flags, state, depth);
  else if (state.active) apply(line, ctx);
}

/** `Host a b !c`: some pattern matches and no negated one does. */
export function hostLineMatches(host: string, patterns: readonly string[]): boolean {
  let hit = false;
  for (const p of patterns) {
    const neg = p.startsWith('!');
    if (!matchPattern(host, neg ? p.slice(1) : p)) continue;
    if (neg) return false;
    hit = true;
  }
  return hit;
}

function include(
  line: ConfigLine,
  ctx: Ctx,
  flags: FileFlags,
  state: { active: boolean },
  depth: number,
): void {
  const outer = state.active;
  for (const arg of line.args) {
    for (const path of globPaths(anchorInclude(arg, ctx.home, flags.userConfig))) {
      const sub = { userConfig: flags.userConfig, neverMatch: flags.neverMatch || !outer };
      readInto(path, ctx, sub, state, depth + 1);
      state.active = outer;
    }
  }
}

function apply(line: ConfigLine, ctx: Ctx): void {
  const { keyword, args } = line;
  if (keyword === 'identityfile') {
    const f = args[0]!;
    if (!ctx.identityFiles.includes(f)) ctx.identityFiles.push(f);
    return;
  }
  if (keyword === 'proxyjump' && ctx.values.has('proxycommand')) return;
  if (keyword === 'proxycommand' && ctx.values.has('proxyjump')) return;
  if (!ctx.values.has(keyword)) ctx.values.set(keyword, args);
}

/** The host name as known so far: HostName with %h expanded, else the host being matched. */
function currentHostname(ctx: Ctx): string {
  if (ctx.final) return ctx.host;
  const hn = ctx.values.get('hostname')?.[0];
  return hn === undefined
    ? ctx.host
    : hn.replace(/%(.)/g, (w, c: string) => (c === 'h' ? ctx.host : c === '%' ? '%' : w));
}

function matchLine(line: ConfigLine, ctx: Ctx): boolean {
  const args = [...line.args];
  let result = true;
  while (args.length > 0) {
    const raw = args.shift()!;
    const negate = raw.startsWith('!');
    const attr = (negate ? raw.slice(1) : raw).toLowerCase();
    if (attr === 'all') return result && !negate;
    if (attr === 'canonical' || attr === 'final') {
      if (attr === 'final') ctx.wantFinal = true;
      if (ctx.final === negate) result = false;
      continue;
    }
    const arg = args.shift();
    if (arg === undefined) return warn(ctx, line, `Match ${attr} needs an argument`);
    const r = criterion(attr, arg, ctx, line, result);
    if (r === undefined) return false;
    if (r === negate) result = false;
  }
  return result;
}

function criterion(
  attr: string,
  arg: string,
  ctx: Ctx,
  line: ConfigLine,
  sofar: boolean,
): boolean | undefined {
  const user = ctx.values.get('user')?.[0] ?? ctx.localUser;
  switch (attr) {
    case 'host':
      return matchHostList(currentHostname(ctx), arg);
    case 'originalhost':
      return matchHostList(ctx.original, arg);
    case 'user':
      return matchPatternList(user, arg) === 1;
    case 'localuser':
      return matchPatternList(ctx.localUser, arg) === 1;
    case 'exec':
      return sofar ? runExec(arg, ctx, line, user) : false;
    default:
      warn(ctx, line, `Match ${attr} is not supported by fleet; the block is skipped`);
      return undefined;
  }
}

function runExec(command: string, ctx: Ctx, line: ConfigLine, user: string): boolean {
  const expanded = expandTokens(command, {
    host: currentHostname(ctx),
    original: ctx.original,
    user,
    port: Number(ctx.values.get('port')?.[0] ?? 22),
    localUser: ctx.localUser,
    home: ctx.home,
    uid: process.getuid?.() ?? 0,
  });
  const r = ctx.exec(expanded);
  if (ctx.exec === noExec)
    warn(ctx, line, `Match exec "${command}" is not run by fleet; treated as not matching`);
  return r;
}

function warn(ctx: Ctx, line: ConfigLine, message: string): false {
  const w = `${line.file}:${line.line}: ${message}`;
  if (!ctx.warnings.includes(w)) ctx.warnings.push(w);
  return false;
}

function finish(ctx: Ctx, alias: string, hostname: string): SshConfigResult {
  const v = (k: string) => ctx.values.get(k)?.[0];
  const num = (k: string) => (v(k) === undefined || v(k) === 'none' ? undefined : Number(v(k)));
  const jump = v('proxyjump');
  const command = ctx.values.get('proxycommand')?.join(' ');
  return {
    alias,
    hostname,
    user: v('user') ?? ctx.localUser,
    port: num('port') ?? 22,
    identityFiles: ctx.identityFiles.length ? [...ctx.identityFiles] : [...DEFAULT_IDENTITY_FILES],
    identityFilesConfigured: ctx.identityFiles.length > 0,
    proxyJump: jump === undefined || jump === 'none' ? undefined : jump,
    proxyCommand: command === undefined || command === 'none' ? undefined : command,
    identitiesOnly: v('identitiesonly')?.toLowerCase() === 'yes',
    connectTimeoutS: num('connecttimeout'),
    serverAliveIntervalS: num('serveraliveinterval'),
    serverAliveCountMax: num('serveralivecountmax'),
    hostKeyAlias: v('hostkeyalias'),
    options: ctx.values,
    warnings: ctx.warnings,
  };
}
