/**
 * Read, plan, swap — again if the rules moved in between. The first read decides the refusals
 * (an armed host, mixed backends, what fleet shares, the lockout guard on the merged rules)
 * before anything is written to the host; only then run the writes that come before the swap
 * (`beforeChange`: package updates, the ban sync), and the plan is made again (on a new read
 * when they changed what the first one saw). The host's transaction compares the
 * part of the rules its swap rewrites with what the plan was computed from (cas.ts); when
 * another writer (fail2ban, Docker, an admin) changed it since the read, the host swaps nothing
 * and says so, and this reads and plans again, up to CAS_TRIES times, then fails the host with
 * what kept moving. No foreign rule is lost to that race.
 */
import { HostError, type TaskContext, type TaskResult } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import type { CompileOutput } from '../../ruleset/index.js';
import { type Facts, type LiveRules, mixedBackend } from '../facts.js';
import { type HostPlan, planData, planHost, withCoexistence } from '../host-plan.js';
import { factsWhenDisarmed } from './armed-gate.js';
import { casDigest, casLines, casScope, changedChains } from './cas.js';
import { RaceError } from './transact.js';
import type { DesiredRules, TransactReport } from './types.js';
import type { UnchangedRead } from './upkeep.js';

export const CAS_TRIES = 3;

export type Compile = (
  session: RemoteSession,
  live: LiveRules,
  facts: Facts,
) => CompileOutput | Promise<CompileOutput>;

export type BeforeChange = (
  session: RemoteSession,
  ctx: TaskContext,
) => Promise<TaskResult | { reread: boolean }>;

export interface Swapped {
  plan: HostPlan;
  report: TransactReport;
  deadline: number;
  /** What moved under each try that was not swapped, e.g. `v4 filter/INPUT changed`. */
  raced: string[];
}

export interface ReadSwapInput {
  session: RemoteSession;
  /** Asked at the first read, and again after beforeChange ran (not on a race's retry). */
  compile: Compile;
  /**
   * Writes that come before the swap, run once the first read's refusals are decided: a result
   * ends the host there; `reread` when they changed what that read saw (rules, boot files).
   */
  beforeChange?: BeforeChange;
  confirmTimeoutS: number;
  /** A host with an armed transaction: wait past its deadline (else it is refused). */
  waitArmed: boolean;
  /** An `unchanged` result, given what the read saw: the upkeep an apply still owes (upkeep.ts). */
  whenUnchanged?: (result: TaskResult, read: UnchangedRead) => Promise<TaskResult>;
  /** Before a swap, the plan about to be applied: throws to refuse it (apply's prompt: the plan shown). */
  checkPlan?: (plan: HostPlan) => void;
  /** The transaction (transact.ts): its report, or the host's result when it ended otherwise. */
  swap: (wanted: DesiredRules, deadline: number) => Promise<TransactReport | TaskResult>;
}

export async function readPlanSwap(input: ReadSwapInput, ctx: TaskContext): Promise<Swapped | TaskResult> {
  let compiled: CompileOutput | undefined;
  let read: Awaited<ReturnType<typeof factsWhenDisarmed>> | undefined;
  let before = input.beforeChange;
  const raced: string[] = [];
  for (;;) {
    ctx.step('facts');
    read ??= await factsWhenDisarmed(input.session, input.waitArmed, ctx);
    const { facts, live, upkeep } = read;
    if (!live) throw new HostError('the host did not print its rules');
    const mixed = mixedBackend(facts);
    if (mixed) throw new HostError(mixed);
    compiled ??= await input.compile(input.session, live, facts);
    const plan = planHost(live, compiled, facts.ip6tables, facts.activeTools);
    const data = { ...planData(plan), ...(raced.length > 0 && { raced }) };
    refuseWhenShared(plan, data);
    if (before) {
      const done = await before(input.session, ctx);
      if ('status' in done) return done;
      [before, compiled] = [undefined, undefined];
      if (done.reread) read = undefined;
      continue;
    }
    if (!plan.changed) {
      const after = raced.length ? ' (after another writer changed them)' : '';
      const detail = withCoexistence(`rules already match${after}`, plan);
      const result: TaskResult = { status: 'unchanged', detail, data };
      const seen = { live, ip6tables: facts.ip6tables, upkeep, compiled };
      return input.whenUnchanged ? input.whenUnchanged(result, seen) : result;
    }
    input.checkPlan?.(plan);
    const wanted = { ...desiredRules(plan), expect: expectedRules(live, plan) };
    ctx.step('swap');
    const deadline = Date.now() + input.confirmTimeoutS * 1000;
    try {
      const report = await input.swap(wanted, deadline);
      return 'status' in report ? report : { plan, report, deadline, raced };
    } catch (err) {
      if (!(err instanceof RaceError)) throw err;
      read = undefined;
      raced.push(describeRace(err, live, wanted));
      if (raced.length >= CAS_TRIES) {
        throw new HostError(
          `another writer kept changing the rules fleet rewrites (${raced.join('; ')}): after ${CAS_TRIES} tries nothing was swapped, the host keeps its rules and theirs; retry when it is quiet`,
          'failed',
          { raced },
        );
      }
    }
  }
}

function expectedRules(live: LiveRules, plan: HostPlan): DesiredRules['expect'] {
  const { noflush } = plan.v4.restore;
  return {
    v4: casDigest(live.v4, plan.v4.restore.text, noflush),
    v6: plan.v6 ? casDigest(live.v6 ?? '', plan.v6.restore.text, noflush) : null,
  };
}

/** `v4 filter/INPUT changed`: the chains whose lines moved between the read and the swap. */
function describeRace(err: RaceError, live: LiveRules, wanted: DesiredRules): string {
  const restore = err.family === 'v4' ? wanted.v4 : (wanted.v6 ?? '');
  const read = (err.family === 'v4' ? live.v4 : live.v6) ?? '';
  const chains = changedChains(casLines(read, casScope(restore, wanted.noflush)), err.lines);
  return `${err.family} ${chains.length ? chains.join(', ') : 'rules'} changed`;
}

function desiredRules(plan: HostPlan): DesiredRules {
  const noflush = plan.v4.restore.noflush;
  return { v4: plan.v4.restore.text, v6: plan.v6?.restore.text ?? null, noflush };
}

/** A host fleet shares in a way it must not change (docs/coexistence.md): failed, nothing sent. */
function refuseWhenShared(plan: HostPlan, data: Record<string, unknown>): void {
  const why = plan.coexistence.refused;
  if (why) throw new HostError(`refused: ${why}`, 'failed', data);
}
