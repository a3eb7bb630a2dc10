/**
 * The host lock: `flock` held by a script whose stdin stays open. Closing the channel, or
 * losing the connection, releases it, so a crashed workstation never leaves a stale lock.
 * A lock another operator holds is reported at once, with who holds it, not waited on.
 */
import { HostError } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import { MARK, parseSections } from '../sections.js';
import { LOCK_SCRIPT } from './scripts.js';

export interface HostLock {
  release(): Promise<void>;
}

export async function acquireLock(session: RemoteSession, owner: string): Promise<HostLock> {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let locked!: (ok: boolean) => void;
  const answered = new Promise<boolean>((r) => {
    locked = r;
  });
  let out = '';
  const done = session
    .run(LOCK_SCRIPT, {
      args: [owner],
      holdStdinUntil: held,
      onStdout: (chunk) => {
        out += chunk;
        if (out.includes(`${MARK}locked`)) locked(true);
      },
    })
    .finally(() => locked(false));
  // The channel may die with its connection (a cut); release() still ends cleanly.
  const ended = done.then(
    () => undefined,
    () => undefined,
  );
  if (await answered) {
    return {
      release: async () => {
        release();
        await ended;
      },
    };
  }
  const res = await done;
  const busy = parseSections(res.stdout).get('busy');
  if (busy !== undefined)
    throw new HostError(`locked by another fleet run: ${busy.trim() || 'unknown holder'}`);
  throw new HostError(`could not take the host lock (exit ${res.code}): ${res.stderr.trim().slice(0, 200)}`);
}
