/**
 * KeyStore keys sign with a KeyObject made once (ssh2 re-parses its PEM text on every
 * signature): the signatures must be the ones ssh2 itself makes, for every key type, and a real
 * sshd must accept them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from '../../src/remote/keys.js';
import { SshPool } from '../../src/remote/pool.js';
import { keygen, startSshd, type TestSshd } from './sshd.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TYPES: [string, string[]][] = [
  ['ed25519', []],
  ['ecdsa', ['-b', '256']],
  ['ecdsa', ['-b', '384']],
  ['ecdsa', ['-b', '521']],
  ['rsa', ['-b', '2048']],
];

function makeKey(type: string, bits: string[]): string {
  const path = join(dir, `${type}${bits.join('')}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', 't', '-f', path]);
  return path;
}

async function load(path: string): Promise<ssh2.ParsedKey> {
  const r = await new KeyStore({ agentSocket: '' }).privateKey(path);
  if (!r.ok) throw new Error(r.detail);
  return r.key;
}

describe('cached signer', () => {
  const data = Buffer.from('session id + userauth request, as ssh2 signs it');
  for (const [type, bits] of TYPES) {
    it(`${type} ${bits.join(' ')}: same signatures as ssh2's own key, verified by it`, async () => {
      const path = makeKey(type, bits);
      const original = ssh2.utils.parseKey(readFileSync(path)) as ssh2.ParsedKey;
      const key = await load(path);
      expect(key.getPublicSSH().equals(original.getPublicSSH())).toBe(true);
      expect(key.type).toBe(original.type);
      expect(Object.hasOwn(key, 'sign')).toBe(true); // the cached signer, not ssh2's own
      const algos = type === 'rsa' ? [undefined, 'sha256', 'sha512'] : [undefined];
      for (const algo of algos) {
        const sig = key.sign(data, algo);
        expect(sig).toBeInstanceOf(Buffer);
        expect(original.verify(data, sig, algo)).toBe(true);
        // ed25519 and RSA PKCS#1 v1.5 are deterministic: byte for byte what ssh2 makes.
        if (type !== 'ecdsa') expect(sig.equals(original.sign(data, algo))).toBe(true);
      }
      expect(original.verify(Buffer.from('other data'), key.sign(data))).toBe(false);
    });
  }
});

describe('against a real sshd', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd?.stop());

  for (const type of ['ecdsa', 'rsa', 'ed25519']) {
    it(`authenticates with an ${type} key file`, async () => {
      const path = join(sshd.dir, `id_${type}`);
      const pub = keygen(path, type);
      execFileSync('sh', ['-c', 'cat >> "$1"', 'x', join(sshd.dir, 'authorized_keys')], {
        input: `${pub}\n`,
      });
      const kh = join(sshd.dir, 'known_hosts');
      execFileSync('sh', [
        '-c',
        'printf "%s\\n" "$2" > "$1"',
        'x',
        kh,
        `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPub}`,
      ]);
      const pool = new SshPool({ knownHostsFile: kh, keys: new KeyStore({ agentSocket: '' }) });
      try {
        const s = await pool.session({
          name: 'h',
          address: '127.0.0.1',
          port: sshd.port,
          user: 'root',
          identity: path,
        });
        expect((await s.run('echo "$1"', { args: [type] })).stdout).toBe(`${type}\n`);
      } finally {
        await pool.closeAll();
      }
    });
  }
});
