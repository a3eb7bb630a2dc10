/**
 * runUpdate: the seam other operations use (`fleet update`, and `fleet apply --update` before its
 * firewall transaction). One script on one exec channel; a failed update is data, not an exception.
 */
import type { RemoteSession } from '../../remote/types.js';
import { waitWatcher } from '../sections.js';
import { parseUpdateOutput } from './result.js';
import { UPDATE_SCRIPT, updateArgs } from './script.js';
import { DEFAULT_LOCK_WAIT_SECONDS, type UpdateOptions, type UpdateResult } from './types.js';

/** Default time limit for the whole script: package upgrades can be slow. */
export const DEFAULT_UPDATE_TIMEOUT_MS = 30 * 60_000;

/** `onWait`: while another process holds the package manager's lock, what it is; null when free. */
export async function runUpdate(
  session: RemoteSession,
  opts: Partial<UpdateOptions> = {},
  onWait?: (reason: string | null) => void,
): Promise<UpdateResult> {
  const full = withDefaults(opts);
  const res = await session.run(UPDATE_SCRIPT, {
    args: updateArgs(full),
    timeoutMs: full.timeoutMs,
    ...(onWait && { onStdout: waitWatcher(onWait) }),
  });
  return parseUpdateOutput(res, full);
}

export function withDefaults(opts: Partial<UpdateOptions>): UpdateOptions {
  return {
    mode: opts.mode ?? 'upgrade',
    securityOnly: opts.securityOnly ?? false,
    lockWaitSeconds: opts.lockWaitSeconds ?? DEFAULT_LOCK_WAIT_SECONDS,
    timeoutMs: opts.timeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS,
  };
}
