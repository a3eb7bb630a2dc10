/**
 * The host lock: `flock` held by a script whose stdin stays open. Closing the channel, or
 * losing the connection, releases it, so a crashed workstation never leaves a stale lock.
 * A lock another operator holds is reported at once, with who holds it, unless `waitS` asks to
 * wait for it (`--wait-lock`): then `onWait` hears who holds it, and null once it is ours.
 */
import { HostError } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import { MARK, parseSections, waitWatcher } from '../sections.js';
import { LOCK_SCRIPT } from './scripts.js';

export interface HostLock {
  release(): Promise<void>;
}

export interface LockWait {
  /** Seconds to wait for a lock another run holds (0: refuse at once). */
  waitS: number;
  /** `fleet's lock held by alice@ws pid 12 since T` while waiting; null when the lock is taken. */
  onWait?: (reason: string | null) => void;
}

export async function acquireLock(
  session: RemoteSession,
  owner: string,
  wait: LockWait = { waitS: 0 },
): Promise<HostLock> {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let locked!: (ok: boolean) => void;
  const answered = new Promise<boolean>((r) => {
    locked = r;
  });
  let out = '';
  let waiting = false;
  const watch = waitWatcher((who) => {
    waiting = true;
    wait.onWait?.(`fleet's lock held by ${who}`);
  });
  const done = session
    .run(LOCK_SCRIPT, {
      args: [owner, String(wait.waitS), new Date().toISOString().replace(/\.\d+Z$/, 'Z')],
      holdStdinUntil: held,
      onStdout: (chunk) => {
        out += chunk;
        watch(chunk);
        if (out.includes(`${MARK}locked`)) {
          if (waiting) wait.onWait?.(null);
          locked(true);
        }
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
