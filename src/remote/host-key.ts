/**
 * Host key policy for one hop: known key → go on; unknown key → refuse unless trust-new (then
 * record it); changed or revoked key → always refuse, with the fingerprint, like OpenSSH.
 * ssh2 accepts any key when no hostVerifier is set, so every connection sets this one.
 */
import { HostKeyError } from './errors.js';
import { fingerprint, type KnownHosts, keyTypeOf } from './known-hosts.js';

export interface HostKeyPolicy {
  knownHosts: KnownHosts;
  /** Record unknown keys instead of refusing them (trust on first use). */
  trustNew: boolean;
}

export interface HostKeyContext {
  /** The host as the user knows it (inventory name), for messages. */
  label: string;
  /** The known_hosts name: `host`, `[host]:port`, or the HostKeyAlias. */
  lookupName: string;
}

export interface HostVerification {
  verifier: (key: Buffer, verify: (ok: boolean) => void) => void;
  /** Why the key was refused, once ssh2 has reported the failure. */
  refusal(): HostKeyError | undefined;
}

export function hostVerification(ctx: HostKeyContext, policy: HostKeyPolicy): HostVerification {
  let refused: HostKeyError | undefined;
  const verifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    decide(ctx, policy, key).then(
      (err) => {
        refused = err;
        verify(err === undefined);
      },
      (err: unknown) => {
        refused = new HostKeyError(ctx.label, 'unknown', `cannot record host key: ${err}`, fingerprint(key));
        verify(false);
      },
    );
  };
  return { verifier, refusal: () => refused };
}

async function decide(
  ctx: HostKeyContext,
  policy: HostKeyPolicy,
  key: Buffer,
): Promise<HostKeyError | undefined> {
  const check = policy.knownHosts.check(ctx.lookupName, key);
  const fp = fingerprint(key);
  const type = displayType(keyTypeOf(key));
  switch (check.status) {
    case 'ok':
      return undefined;
    case 'unknown':
      if (!policy.trustNew) return unknownKey(ctx, type, fp, policy.knownHosts.writeFile);
      await policy.knownHosts.add(ctx.lookupName, key);
      return undefined;
    case 'changed': {
      const where = `${check.entry.file}:${check.entry.line}`;
      const msg =
        `REMOTE HOST IDENTIFICATION HAS CHANGED for ${ctx.label} (${ctx.lookupName}): the ${type} key sent by ` +
        `the remote host is ${fp}, but known_hosts has a different ${displayType(check.entry.keyType)} key ` +
        `(offending key in ${where}). Someone could be eavesdropping on you right now (man-in-the-middle), ` +
        `or the host key has just been changed. Host key verification failed.`;
      return new HostKeyError(ctx.label, 'changed', msg, fp);
    }
    case 'revoked':
      return new HostKeyError(
        ctx.label,
        'revoked',
        `host key for ${ctx.label} (${ctx.lookupName}) is REVOKED: ${type} key ${fp} is marked @revoked in ${check.entry.file}:${check.entry.line}`,
        fp,
      );
  }
}

function unknownKey(ctx: HostKeyContext, type: string, fp: string, file: string): HostKeyError {
  const msg = `unknown host key for ${ctx.label} (${ctx.lookupName}): ${type} key fingerprint is ${fp}; it is not in ${file || 'known_hosts'}, and fleet trusts a new host only with --trust-new-hosts`;
  return new HostKeyError(ctx.label, 'unknown', msg, fp);
}

/** `ssh-ed25519` → `ED25519`, `ecdsa-sha2-nistp256` → `ECDSA`, `ssh-rsa` → `RSA`. */
export function displayType(keyType: string): string {
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  return keyType
    .replace(/^ssh-/, '')
    .replace(/-cert-v01@openssh\.com$/, '')
    .toUpperCase();
}
