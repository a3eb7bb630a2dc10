/**
 * Confirmation, persistence and the check after a rollback. Confirmation travels over a NEW
 * connection: if the new rules cut the management path, it cannot arrive, and the host's
 * watchdog restores the backup by itself.
 */
import type { RemoteSession } from '../../remote/types.js';
import { parseSections } from '../sections.js';
import { CONFIRM_SCRIPT, OUTCOME_SCRIPT, PERSIST_SCRIPT } from './scripts.js';

export type ConfirmOutcome = 'confirmed' | 'too-late';

export async function confirm(session: RemoteSession, tx: string): Promise<ConfirmOutcome> {
  const res = await session.run(CONFIRM_SCRIPT, { args: [tx], timeoutMs: 20_000 });
  const s = parseSections(res.stdout);
  if (s.has('confirmed')) return 'confirmed';
  if (s.has('too-late')) return 'too-late';
  throw new Error(`confirmation failed (exit ${res.code}): ${res.stderr.trim().slice(0, 200)}`);
}

export async function persist(session: RemoteSession, keep: number): Promise<string> {
  const res = await session.run(PERSIST_SCRIPT, { args: [String(keep)], timeoutMs: 30_000 });
  const s = parseSections(res.stdout);
  const err = s.get('error');
  if (err !== undefined || !s.has('persisted')) {
    throw new Error(`persisting the rules failed: ${(err ?? res.stderr).trim().slice(0, 200)}`);
  }
  return (s.get('persisted') ?? '').trim();
}

export interface TxOutcome {
  state: 'armed' | 'fired' | 'gone';
  v4: string;
  v6: string | null;
}

/** After a failed confirmation: did the watchdog fire, and what rules run now. */
export async function readOutcome(session: RemoteSession, tx: string): Promise<TxOutcome> {
  const res = await session.run(OUTCOME_SCRIPT, { args: [tx], timeoutMs: 20_000 });
  const s = parseSections(res.stdout);
  if (!s.has('end')) throw new Error(`reading the host's state failed (exit ${res.code})`);
  const state = (s.get('outcome') ?? '').trim() as TxOutcome['state'];
  return { state, v4: s.get('save4') ?? '', v6: s.get('save6') ?? null };
}
