/**
 * The seam `fleet apply --update` uses: run the update on the host's session before its firewall
 * transaction (after the host lock, before backup). `proceed` false means stop this host's
 * transaction now: no firewall change, host result `failed` with `detail`.
 */
import type { RemoteSession } from '../../remote/types.js';
import { runUpdate } from './run.js';
import { summarizeUpdate } from './summary.js';
import type { UpdateOptions, UpdateResult } from './types.js';

export interface UpdateGate {
  proceed: boolean;
  result: UpdateResult;
  /** One line for the host's result: what the update did, or why the transaction stopped. */
  detail: string;
}

export async function updateBeforeApply(
  session: RemoteSession,
  opts: Partial<Omit<UpdateOptions, 'mode'>> = {},
  onWait?: (reason: string | null) => void,
): Promise<UpdateGate> {
  const result = await runUpdate(session, { ...opts, mode: 'upgrade' }, onWait);
  const { detail } = summarizeUpdate(result);
  if (!result.ok)
    return { proceed: false, result, detail: `update failed, firewall left untouched: ${detail}` };
  return { proceed: true, result, detail };
}
