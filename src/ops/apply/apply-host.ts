/**
 * One host's apply transaction: lock → facts → diff → refusals → updates, ban sync → (facts →)
 * diff → backup, stage, test, arm, swap → confirm and persist over a NEW connection (one exec)
 * → unlock. Nothing is written to a refused host. Every exit path leaves the host on its
 * old rules or on confirmed new ones; a host whose confirmation cannot arrive is restored
 * by its own watchdog, and this waits past the deadline to prove it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { HostError, type TaskContext, type TaskResult } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import { deltaText, type HostPlan, planData, withCoexistence } from '../host-plan.js';
import { confirmUntil, readOutcome } from './confirm.js';
import { pruneLocalBackups, saveLocalBackup } from './local-backup.js';
import { acquireLock } from './lock.js';
import { type BeforeChange, type Compile, readPlanSwap } from './read-swap.js';
import { checkRollback, liveText } from './rollback-check.js';
import { runTransact } from './transact.js';
import type { DesiredRules, HostLink, TransactOptions, TransactReport } from './types.js';
import { keepUp } from './upkeep.js';

export interface ApplyHostInput {
  host: string;
  link: HostLink;
  /**
   * The rules the host should have, asked under the lock with the host's facts and live rules
   * at hand: at the first read (its plan decides the refusals), and again after beforeChange.
   */
  compile: Compile;
  opts: TransactOptions;
  /** The workstation's backups/ directory. */
  backupsDir: string;
  /** Who holds the lock (shown to a second operator). */
  owner: string;
  /** Before the swap, the plan about to be applied: throws a HostError to refuse it (read-swap.ts). */
  checkPlan?: (plan: HostPlan) => void;
  /**
   * The writes before the swap (package updates, the ban sync), run under the lock once the
   * refusals are decided (read-swap.ts): a result ends the host there.
   */
  beforeChange?: BeforeChange;
}

const GRACE_MS = 5_000;
/** The last confirmation try starts at least this long before the client's deadline. */
const LAST_TRY_MARGIN_MS = 2_000;
/** After the watchdog's deadline: a new connection and the outcome read (their own timeouts). */
const CHECK_BUDGET_MS = 45_000;

function at(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function applyHost(input: ApplyHostInput, ctx: TaskContext): Promise<TaskResult> {
  ctx.step('lock');
  const waitS = input.opts.waitLockS ?? 0;
  const lock = await acquireLock(input.link.session, input.owner, { waitS, onWait: (r) => ctx.wait(r) });
  try {
    return await lockedApply(input, ctx);
  } finally {
    await lock.release();
  }
}

async function lockedApply(input: ApplyHostInput, ctx: TaskContext): Promise<TaskResult> {
  const { link, opts } = input;
  const swapped = await readPlanSwap(
    {
      session: link.session,
      compile: input.compile,
      beforeChange: input.beforeChange,
      confirmTimeoutS: opts.confirmTimeoutS,
      waitArmed: opts.waitArmed === true,
      checkPlan: input.checkPlan,
      swap: (wanted, deadline) => transactOrRecover(input, wanted, deadline, ctx),
      whenUnchanged: (result, read) => {
        ctx.step('upkeep');
        const job = { session: link.session, host: input.host, tx: opts.tx, keep: opts.keep };
        return keepUp({ ...job, backupsDir: input.backupsDir }, result, read);
      },
    },
    ctx,
  );
  if ('status' in swapped) return swapped;
  const { plan, report, raced, deadline } = swapped;
  const local = await saveLocalBackup(
    input.backupsDir,
    input.host,
    report.backupPath,
    report.backupV4,
    report.backupV6,
  );
  const data = {
    ...planData(plan),
    backup: report.backupPath,
    localBackup: local.name,
    remoteSteps: report.steps,
    ...(raced.length > 0 && { raced }),
  };
  if (opts.cutAfter === 'confirm') await cut(link.session);
  ctx.step('confirm');
  const done = await confirmUntil(link.fresh, {
    tx: opts.tx,
    keep: opts.keep,
    lastTryAt: deadline - LAST_TRY_MARGIN_MS,
    onConfirmed: () => {
      ctx.onTimeoutSay(
        'the change was confirmed (the new rules stay live); persisting them may not have finished',
      );
      ctx.step('persist');
    },
  });
  if (done.outcome !== 'confirmed') {
    const why = done.outcome === 'lost' ? done.why : done.outcome;
    return verifyRollback(input, report, deadline, ctx, `confirmation over a new connection failed (${why})`);
  }
  const { persisted, tries: confirmTries } = done;
  await pruneLocalBackups(input.backupsDir, input.host, opts.keep);
  const delta = withCoexistence(deltaText(plan), plan);
  const detail = raced.length ? `${delta} (read again after: ${raced.join('; ')})` : delta;
  return { status: 'changed', detail, diff: plan.diffText, data: { ...data, persisted, confirmTries } };
}

/** Runs the swap; a connection lost mid-way means: wait for the watchdog and check. */
async function transactOrRecover(
  input: ApplyHostInput,
  wanted: DesiredRules,
  deadline: number,
  ctx: TaskContext,
): Promise<TransactReport | TaskResult> {
  const { link, opts } = input;
  // Tests only: the script pauses 3 s after that step's marker; the cut lands inside the pause.
  const cutAt = opts.cutAfter !== 'confirm' ? opts.cutAfter : undefined;
  ctx.onTimeoutSay(`if the host's watchdog was armed, it restores the old rules at about ${at(deadline)}`);
  const onStep = (step: string) => {
    if (step === 'armed') watchdogArmed(ctx, deadline);
    if (step === cutAt) void cut(link.session);
  };
  try {
    return await runTransact(link.session, wanted, opts, onStep);
  } catch (err) {
    if (err instanceof HostError) throw err;
    return verifyRollback(
      input,
      null,
      deadline,
      ctx,
      `connection lost during the swap (${(err as Error).message})`,
    );
  }
}

/**
 * From arming on, the host's --timeout does not cut the transaction before fleet has seen how it
 * ended: confirmed, or restored by the watchdog (the wait past its deadline is the point).
 */
function watchdogArmed(ctx: TaskContext, deadline: number): void {
  ctx.holdTimeout(deadline + GRACE_MS + CHECK_BUDGET_MS);
  ctx.onTimeoutSay(`the host's watchdog restores the old rules at about ${at(deadline)} unless confirmed`);
}

/** Waits past the watchdog's deadline, reconnects and proves the old rules are back. */
async function verifyRollback(
  input: ApplyHostInput,
  report: TransactReport | null,
  deadline: number,
  ctx: TaskContext,
  reason: string,
): Promise<TaskResult> {
  ctx.step('rollback');
  watchdogArmed(ctx, deadline);
  ctx.onTimeoutSay(
    `the host's watchdog was due to restore the old rules at about ${at(deadline)}; fleet could not check it`,
  );
  await sleep(Math.max(0, deadline - Date.now()) + GRACE_MS, undefined, { signal: ctx.signal });
  const session = await input.link.fresh().catch((e: Error) => {
    throw new HostError(
      `${reason}; the host is still unreachable after its watchdog deadline: ${e.message}`,
      'unreachable',
    );
  });
  try {
    const out = await readOutcome(session, input.opts.tx);
    if (out.state === 'armed') throw new HostError(`${reason}; the watchdog has not fired yet`);
    const backup = report?.backupPath ?? out.backup.path;
    const data = { reason, watchdog: out.state, backup, record: out.record };
    if (out.state !== 'fired')
      return { status: 'failed', detail: `${reason}; nothing was changed on the host`, data };
    const verdict = checkRollback({
      record: out.record,
      live: { v4: out.v4, v6: out.v6 },
      backup: report ? { v4: report.backupV4, v6: report.backupV6 } : out.backup,
    });
    if (!verdict.ok) {
      const why = verdict.restoreError ? ` (${verdict.restoreError})` : '';
      const detail = `${reason}; the watchdog's restore of ${backup} FAILED${why}; ${liveText(verdict)}`;
      return { status: 'failed', detail, data: { ...data, verdict } };
    }
    return {
      status: 'rolled-back',
      detail: `${reason}; the watchdog restored the backup (${verdict.v6Restored === null ? 'IPv4' : 'IPv4 and IPv6'} checked)`,
      data,
    };
  } finally {
    await session.close();
  }
}

/** Tests only: drop the run's connection the way a network failure would. */
async function cut(session: RemoteSession): Promise<void> {
  const s = session as RemoteSession & { destroy?: () => void };
  if (s.destroy) s.destroy();
  else await session.close();
}
