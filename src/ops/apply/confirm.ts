/**
 * Confirmation, persistence and the check after a rollback. Confirmation travels over a NEW
 * connection: if the new rules cut the management path, it cannot arrive, and the host's
 * watchdog restores the backup by itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecResult, RemoteSession } from '../../remote/types.js';
import { MARK, parseSections } from '../sections.js';
import { CONFIRM_PERSIST_SCRIPT, OUTCOME_SCRIPT } from './scripts.js';

export type ConfirmOutcome = 'confirmed' | 'too-late';

/** The rules were confirmed, but writing them where the boot loads them failed. */
export class PersistError extends Error {
  /** As the transport's errors (a lost connection: `unreachable`), for the host's status. */
  status?: string;
}

/**
 * Confirms the transaction and, once confirmed, persists the rules, in one exec on `session`
 * (the NEW connection). `onConfirmed` runs as soon as the host says so, while it persists.
 * Throws PersistError when the confirmation arrived but persisting failed (the connection
 * included); any other error means the confirmation did not arrive.
 */
export async function confirmAndPersist(
  session: RemoteSession,
  tx: string,
  keep: number,
  onConfirmed?: () => void,
): Promise<{ outcome: 'too-late' } | { outcome: 'confirmed'; persisted: string }> {
  let out = '';
  let confirmed = false;
  const onStdout = (chunk: string) => {
    out += chunk;
    if (confirmed || !out.includes(`${MARK}confirmed\n`)) return;
    confirmed = true;
    onConfirmed?.();
  };
  let res: ExecResult;
  try {
    res = await session.run(CONFIRM_PERSIST_SCRIPT, {
      args: [tx, String(keep)],
      timeoutMs: 45_000,
      onStdout,
    });
  } catch (err) {
    if (!confirmed) throw err;
    const e = new PersistError(`persisting the rules failed: ${(err as Error).message}`);
    const status = (err as { status?: string }).status;
    if (status) e.status = status;
    throw e;
  }
  const s = parseSections(res.stdout);
  if (s.has('too-late')) return { outcome: 'too-late' };
  if (!s.has('confirmed'))
    throw new Error(`confirmation failed (exit ${res.code}): ${res.stderr.trim().slice(0, 200)}`);
  const err = s.get('error');
  if (err !== undefined || !s.has('persisted')) {
    const why = res.timedOut ? 'timed out' : (err ?? res.stderr).trim().slice(0, 200);
    throw new PersistError(`persisting the rules failed: ${why}`);
  }
  return { outcome: 'confirmed', persisted: (s.get('persisted') ?? '').trim() };
}

export type ConfirmResult =
  | { outcome: 'too-late' }
  | { outcome: 'confirmed'; persisted: string; tries?: number }
  | { outcome: 'lost'; why: string };

/** Between two tries of the confirmation. */
const RETRY_PAUSE_MS = 1_000;

/**
 * The confirmation over a NEW connection, tried again (a new connection each time) while a
 * try can still start before `lastTryAt`: a blip in the management path at confirm time does
 * not roll back a good change while the watchdog's window lasts. Throws PersistError as
 * confirmAndPersist does.
 */
export async function confirmUntil(
  fresh: () => Promise<RemoteSession>,
  o: { tx: string; keep: number; lastTryAt: number; onConfirmed?: () => void },
): Promise<ConfirmResult> {
  for (let tries = 1; ; tries++) {
    const r = await confirmOnce(fresh, o);
    if (r.outcome === 'confirmed') return { ...r, tries };
    if (r.outcome !== 'lost') return r;
    if (Date.now() + RETRY_PAUSE_MS >= o.lastTryAt) {
      return { outcome: 'lost', why: `${r.why}; ${tries} ${tries === 1 ? 'try' : 'tries'}` };
    }
    await sleep(RETRY_PAUSE_MS);
  }
}

async function confirmOnce(
  fresh: () => Promise<RemoteSession>,
  o: { tx: string; keep: number; onConfirmed?: () => void },
): Promise<ConfirmResult> {
  const session = await fresh().catch(() => null);
  if (!session) return { outcome: 'lost', why: 'could not connect' };
  try {
    return await confirmAndPersist(session, o.tx, o.keep, o.onConfirmed);
  } catch (err) {
    if (err instanceof PersistError) throw err; // confirmed: the new rules stay
    return { outcome: 'lost', why: 'lost' };
  } finally {
    await session.close();
  }
}

export interface TxOutcome {
  state: 'armed' | 'fired' | 'gone';
  /** The last line of the outcome record beside the backup the watchdog restored ('' if none). */
  record: string;
  /** That backup, as the host holds it (null: none, or no such family). */
  backup: { path: string; v4: string | null; v6: string | null };
  v4: string;
  v6: string | null;
}

/** After a failed confirmation: did the watchdog fire, and what rules run now. */
export async function readOutcome(session: RemoteSession, tx: string): Promise<TxOutcome> {
  const res = await session.run(OUTCOME_SCRIPT, { args: [tx], timeoutMs: 20_000 });
  const s = parseSections(res.stdout);
  if (!s.has('end')) throw new Error(`reading the host's state failed (exit ${res.code})`);
  const state = (s.get('outcome') ?? '').trim() as TxOutcome['state'];
  const backup = {
    path: (s.get('backup') ?? '').trim(),
    v4: s.get('back4') ?? null,
    v6: s.get('back6') ?? null,
  };
  const record = (s.get('record') ?? '').trim();
  return { state, record, backup, v4: s.get('save4') ?? '', v6: s.get('save6') ?? null };
}
