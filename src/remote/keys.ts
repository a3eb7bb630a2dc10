/**
 * Private keys from files and identities from ssh-agent, loaded once per run (a passphrase is asked
 * for at most once per key file, however many hosts use it).
 */
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';
import { askPassphrase } from './passphrase.js';

export type PassphraseSource = (keyPath: string) => Promise<string | undefined>;

export type LoadedKey =
  | { ok: true; key: ParsedKey }
  | { ok: false; reason: 'missing' | 'encrypted' | 'invalid'; detail: string };

export interface KeyStoreOptions {
  /** ssh-agent socket; default SSH_AUTH_SOCK. Empty string: no agent. */
  agentSocket?: string;
  /** Where passphrases come from; default FLEET_SSH_PASSPHRASE, then a prompt on a TTY. */
  passphrase?: PassphraseSource;
}

export class KeyStore {
  private readonly privates = new Map<string, Promise<LoadedKey>>();
  private readonly publics = new Map<string, Promise<Buffer | undefined>>();
  private agentKeys?: Promise<ParsedKey[]>;
  readonly agentSocket: string | undefined;
  private readonly passphrase: PassphraseSource;

  constructor(opts: KeyStoreOptions = {}) {
    this.agentSocket = opts.agentSocket ?? process.env.SSH_AUTH_SOCK ?? undefined;
    if (this.agentSocket === '') this.agentSocket = undefined;
    this.passphrase = opts.passphrase ?? defaultPassphrase;
  }

  /** The agent's identities in the agent's order; empty without an agent or when it fails. */
  agentIdentities(): Promise<ParsedKey[]> {
    const sock = this.agentSocket;
    if (!sock) return Promise.resolve([]);
    this.agentKeys ??= new Promise((resolve) => {
      new ssh2.OpenSSHAgent(sock).getIdentities((err, keys) =>
        resolve(err ? [] : ((keys ?? []) as ParsedKey[])),
      );
    });
    return this.agentKeys;
  }

  /** The public key blob of a key file (from FILE.pub, else an unencrypted private key). */
  publicKey(path: string): Promise<Buffer | undefined> {
    let p = this.publics.get(path);
    if (!p) {
      p = loadPublic(path);
      this.publics.set(path, p);
    }
    return p;
  }

  privateKey(path: string): Promise<LoadedKey> {
    let p = this.privates.get(path);
    if (!p) {
      p = loadPrivate(path, this.passphrase);
      this.privates.set(path, p);
    }
    return p;
  }
}

async function defaultPassphrase(path: string): Promise<string | undefined> {
  const env = process.env.FLEET_SSH_PASSPHRASE;
  if (env !== undefined) return env;
  return process.stdin.isTTY && process.stderr.isTTY ? askPassphrase(path) : undefined;
}

async function loadPublic(path: string): Promise<Buffer | undefined> {
  const pub = await readFile(`${path}.pub`, 'utf8').catch(() => undefined);
  const parsed = pub === undefined ? undefined : ssh2.utils.parseKey(pub);
  if (parsed && !(parsed instanceof Error)) return parsed.getPublicSSH();
  const priv = await readFile(path).catch(() => undefined);
  const key = priv === undefined ? undefined : ssh2.utils.parseKey(priv);
  return key && !(key instanceof Error) ? key.getPublicSSH() : undefined;
}

async function loadPrivate(path: string, passphrase: PassphraseSource): Promise<LoadedKey> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    return { ok: false, reason: 'missing', detail: (err as Error).message };
  }
  const plain = ssh2.utils.parseKey(data);
  if (!(plain instanceof Error)) return { ok: true, key: withCachedSigner(plain) };
  if (!/encrypted|passphrase/i.test(plain.message))
    return { ok: false, reason: 'invalid', detail: plain.message };
  const pass = await passphrase(path);
  if (pass === undefined)
    return { ok: false, reason: 'encrypted', detail: 'encrypted, and no passphrase given' };
  const key = ssh2.utils.parseKey(data, pass);
  if (key instanceof Error)
    return { ok: false, reason: 'encrypted', detail: `cannot decrypt: ${key.message}` };
  return { ok: true, key: withCachedSigner(key) };
}

/** The hash ssh2 signs with when the caller names none (its default per key type). */
const DEFAULT_HASH: Record<string, string | null> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};

/**
 * The same key, whose sign() uses a KeyObject made once. ssh2's ParsedKey.sign() hands its PEM
 * text to crypto.sign, which parses it again for every signature: ~0.9 ms per ed25519 signature
 * here, against ~0.09 ms with a KeyObject (bench/README.md). A run signs once per connection,
 * hundreds of times with the same key. Same key, same algorithm, same bytes out.
 */
export function withCachedSigner(key: ParsedKey): ParsedKey {
  const hash = DEFAULT_HASH[key.type];
  if (hash === undefined || !key.isPrivateKey()) return key;
  let secret: ReturnType<typeof createPrivateKey>;
  try {
    secret = createPrivateKey(key.getPrivatePEM());
  } catch {
    return key;
  }
  const fast: ParsedKey = Object.create(key);
  // ssh2 signals a failure by returning the Error (its own sign() does the same).
  fast.sign = ((data: Buffer | string, algo?: string) => {
    try {
      return cryptoSign(algo || hash, typeof data === 'string' ? Buffer.from(data) : data, secret);
    } catch (err) {
      return err as Error;
    }
  }) as ParsedKey['sign'];
  return fast;
}
