/**
 * known_hosts files: plain and hashed (`|1|salt|hash`) host fields, comma lists with `*`/`?`/`!`
 * patterns, `[host]:port` names, `@revoked` lines. `@cert-authority` lines are skipped (fleet does
 * not verify host certificates). New entries are appended hashed, like HashKnownHosts yes.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { matchHostList } from './pattern.js';

export interface KnownHostEntry {
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written: a pattern list or `|1|salt|hash`. */
  hosts: string;
  keyType: string;
  key: Buffer;
  file: string;
  line: number;
}

export type HostKeyCheck =
  | { status: 'ok'; entry: KnownHostEntry }
  | { status: 'unknown' }
  | { status: 'changed'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry };

/** The name a host's key is filed under: `host`, or `[host]:port` when the port is not 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `SHA256:base64` without padding, as OpenSSH prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const entry = parseLine(raw.trim(), file, i + 1);
    if (entry) out.push(entry);
  });
  return out;
}

function parseLine(line: string, file: string, lineNo: number): KnownHostEntry | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const words = line.split(/\s+/);
  let marker: KnownHostEntry['marker'];
  if (words[0]?.startsWith('@')) {
    const m = words.shift()!.slice(1);
    if (m !== 'revoked' && m !== 'cert-authority') return undefined;
    marker = m;
  }
  const [hosts, keyType, b64] = words;
  if (!hosts || !keyType || !b64) return undefined;
  return { marker, hosts, keyType, key: Buffer.from(b64, 'base64'), file, line: lineNo };
}

/** Does this entry's host field name `name`? */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (!entry.hosts.startsWith('|1|')) return matchHostList(name, entry.hosts);
  const [, , salt, hash] = entry.hosts.split('|');
  if (!salt || !hash) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return mac === hash;
}

/** `|1|salt|hash` for a name, with a fresh random salt. */
export function hashName(name: string, salt = randomBytes(20)): string {
  const mac = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${mac}`;
}

/** A plain host field's names, lowercased, when it holds no pattern (`*`, `?`, `!`) and no hash. */
function literalNames(hosts: string): string[] | undefined {
  if (hosts.startsWith('|1|') || /[*?!]/.test(hosts)) return undefined;
  return hosts.split(',').map((h) => h.trim().toLowerCase());
}

/**
 * Lookups are indexed: a field that only lists names (the usual line, and every line
 * `ssh-keyscan` writes) is found by name in a map; hashed and pattern fields are matched one by
 * one, as OpenSSH does. So a fleet of N hosts with an N-line known_hosts costs N lookups, not N²
 * pattern matches, and each name is looked up once per run (its answer kept until a key is added).
 */
export class KnownHosts {
  private appending: Promise<void> = Promise.resolve();
  /** Entry positions by literal name (lowercase). */
  private readonly byName = new Map<string, number[]>();
  /** Positions of the entries that must be matched against each name (hashed, patterns). */
  private readonly matched: number[] = [];
  private readonly answers = new Map<string, KnownHostEntry[]>();

  constructor(
    /** Where new keys are recorded (the first file). */
    readonly writeFile: string,
    private readonly entries: KnownHostEntry[],
  ) {
    for (const [i, e] of entries.entries()) this.index(e, i);
  }

  private index(e: KnownHostEntry, i: number): void {
    if (e.marker === 'cert-authority') return;
    const names = literalNames(e.hosts);
    if (!names) {
      this.matched.push(i);
      return;
    }
    for (const n of new Set(names)) {
      const at = this.byName.get(n);
      if (at) at.push(i);
      else this.byName.set(n, [i]);
    }
  }

  /** Read the files; a missing file is empty. The first file is where new keys go. */
  static async load(files: readonly string[]): Promise<KnownHosts> {
    const all: KnownHostEntry[] = [];
    for (const f of files) all.push(...parseKnownHosts(await readOrEmpty(f), f));
    return new KnownHosts(files[0] ?? '', all);
  }

  /** Entries (not @cert-authority) whose host field names `name`, in file order. */
  entriesFor(name: string): KnownHostEntry[] {
    const known = this.answers.get(name);
    if (known) return known;
    const at = [
      ...(this.byName.get(name.toLowerCase()) ?? []),
      ...this.matched.filter((i) => entryMatches(this.entries[i]!, name)),
    ].sort((a, b) => a - b);
    const found = at.map((i) => this.entries[i]!);
    this.answers.set(name, found);
    return found;
  }

  /** Key types on file for `name`, to prefer them in the key exchange (as OpenSSH does). */
  knownTypes(name: string): string[] {
    return [
      ...new Set(
        this.entriesFor(name)
          .filter((e) => !e.marker)
          .map((e) => e.keyType),
      ),
    ];
  }

  check(name: string, key: Buffer): HostKeyCheck {
    const mine = this.entriesFor(name);
    const revoked = mine.find((e) => e.marker === 'revoked' && e.key.equals(key));
    if (revoked) return { status: 'revoked', entry: revoked };
    const plain = mine.filter((e) => !e.marker);
    const same = plain.find((e) => e.key.equals(key));
    if (same) return { status: 'ok', entry: same };
    const type = keyTypeOf(key);
    const other = plain.find((e) => e.keyType === type) ?? plain[0];
    return other ? { status: 'changed', entry: other } : { status: 'unknown' };
  }

  /** Record a key (hashed) in the write file and in memory; appends are serialized. */
  add(name: string, key: Buffer): Promise<void> {
    const line = `${hashName(name)} ${keyTypeOf(key)} ${key.toString('base64')}\n`;
    const entry = parseLine(line.trim(), this.writeFile, 0)!;
    this.index(entry, this.entries.push(entry) - 1);
    this.answers.clear();
    this.appending = this.appending.then(() => appendLine(this.writeFile, line));
    return this.appending;
  }
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

async function appendLine(file: string, line: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existing = await readOrEmpty(file);
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, sep + line, { mode: 0o600 });
}
