/**
 * Algorithm preferences: cheap and modern first. curve25519 key exchange costs ~11 ms of client
 * CPU against ~80 ms for OpenSSH's default sntrup761x25519 (design.md); ed25519 host keys verify
 * fastest; host key types already on file for the host come first so a known host never looks
 * "changed" just because it has several keys (OpenSSH does the same).
 */
import type { Algorithms, CipherAlgorithm, KexAlgorithm, ServerHostKeyAlgorithm } from 'ssh2';

export const KEX: KexAlgorithm[] = [
  'curve25519-sha256',
  'curve25519-sha256@libssh.org',
  'ecdh-sha2-nistp256',
  'ecdh-sha2-nistp384',
  'ecdh-sha2-nistp521',
  'diffie-hellman-group-exchange-sha256',
  'diffie-hellman-group14-sha256',
  'diffie-hellman-group16-sha512',
  'diffie-hellman-group18-sha512',
];

/** Order measured with bench/ssh-ciphers (docs/ssh.md): AES-GCM uses AES-NI through OpenSSL. */
export const CIPHERS: CipherAlgorithm[] = [
  'aes128-gcm@openssh.com',
  'chacha20-poly1305@openssh.com',
  'aes256-gcm@openssh.com',
  'aes128-ctr',
  'aes256-ctr',
];

const HOST_KEYS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
];

/** Signature algorithms that verify a key of this known_hosts type. */
function algorithmsFor(keyType: string): ServerHostKeyAlgorithm[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return HOST_KEYS.filter((a) => a === keyType);
}

export function algorithms(knownTypes: readonly string[]): Algorithms {
  const first = knownTypes.flatMap(algorithmsFor);
  const serverHostKey = [...new Set([...first, ...HOST_KEYS])];
  return { kex: KEX, cipher: CIPHERS, serverHostKey };
}
