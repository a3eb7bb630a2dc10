/** Run one host's task: time it, bound it, and turn whatever happens into a HostResult. */
import type { HostResult, HostStatus, StepTiming } from '../model/result.js';
import type { EngineEvent } from './events.js';
import { StepClock } from './step-clock.js';
import { makeTaskContext, type TimeoutTerms } from './task-context.js';
import type { HostTask, Named, TaskResult } from './types.js';

export interface HostEnv {
  timeoutMs?: number;
  /** Settles when the user forces a stop (one promise per run: no listener per host on the signal). */
  killed?: Promise<void>;
  emit: (event: EngineEvent) => void;
  now: () => Date;
}

type Outcome =
  | { kind: 'ok'; value: TaskResult }
  | { kind: 'error'; error: unknown }
  | { kind: 'timeout' }
  | { kind: 'killed' };

const STATUSES = new Set<string>([
  'ok',
  'changed',
  'unchanged',
  'rolled-back',
  'failed',
  'unreachable',
  'skipped',
]);

export async function runOneHost<H extends Named>(
  host: H,
  task: HostTask<H>,
  env: HostEnv,
): Promise<HostResult> {
  const started = env.now().getTime();
  const clock = new StepClock(env.now);
  const abort = new AbortController();
  let open = true;
  const terms: TimeoutTerms = { holdUntil: 0 };
  const ctx = makeTaskContext({
    host: host.name,
    signal: abort.signal,
    clock,
    now: env.now,
    emit: env.emit,
    isOpen: () => open,
    timeout: terms,
  });
  env.emit({ kind: 'host-start', time: env.now().toISOString(), host: host.name });
  const work = Promise.resolve()
    .then(() => task(host, ctx))
    .then(
      (value): Outcome => ({ kind: 'ok', value }),
      (error): Outcome => ({ kind: 'error', error }),
    );
  const outcome = await raceLimits(work, abort, env, terms);
  open = false;
  const inStep = clock.step;
  clock.end();
  const result = toResult(host.name, outcome, { env, steps: clock.timings(), inStep, note: terms.note });
  result.durationMs = env.now().getTime() - started;
  env.emit({ kind: 'host-done', time: env.now().toISOString(), host: host.name, result });
  return result;
}

/**
 * The task, the host's timeout and a forced stop race; whichever comes first settles the host.
 * A timeout that falls while the task holds it (a watchdog wait) moves to the end of the hold.
 */
function raceLimits(
  work: Promise<Outcome>,
  abort: AbortController,
  env: HostEnv,
  terms: TimeoutTerms,
): Promise<Outcome> {
  const cleanups: Array<() => void> = [];
  const racers = [work];
  if (env.timeoutMs && env.timeoutMs > 0) {
    const ms = env.timeoutMs;
    racers.push(
      new Promise((resolve) => {
        let timer: NodeJS.Timeout;
        const fire = () => {
          const held = terms.holdUntil - env.now().getTime();
          if (held > 0) timer = setTimeout(fire, held);
          else resolve({ kind: 'timeout' });
        };
        timer = setTimeout(fire, ms);
        cleanups.push(() => clearTimeout(timer));
      }),
    );
  }
  if (env.killed) racers.push(env.killed.then((): Outcome => ({ kind: 'killed' })));
  return Promise.race(racers).then((outcome) => {
    for (const cleanup of cleanups) cleanup();
    if (outcome.kind === 'timeout' || outcome.kind === 'killed') abort.abort(new Error(outcome.kind));
    return outcome;
  });
}

interface Facts {
  env: HostEnv;
  steps: StepTiming[];
  inStep?: string;
  /** What the task said the host does by itself if cut now (onTimeoutSay). */
  note?: string;
}

function toResult(host: string, outcome: Outcome, f: Facts): HostResult {
  const during = f.inStep ? ` (during ${f.inStep})` : '';
  switch (outcome.kind) {
    case 'ok':
      return fromValue(host, outcome.value, f.steps);
    case 'error':
      return fromError(host, outcome.error, f.steps);
    case 'timeout': {
      const note = f.note ? `; ${f.note}` : '';
      const detail = `timed out after ${formatMs(f.env.timeoutMs ?? 0)}${during}${note}`;
      return bare(host, 'failed', detail, f.steps);
    }
    case 'killed':
      return bare(host, 'failed', `aborted by the user${during}`, f.steps);
  }
}

function fromValue(host: string, value: TaskResult, steps: StepTiming[]): HostResult {
  if (!value || !STATUSES.has(value.status)) {
    return bare(host, 'failed', 'internal: the task returned no valid status', steps);
  }
  const own = steps.length > 0 ? steps : (value.steps ?? []);
  return { ...value, host, durationMs: 0, detail: value.detail ?? '', steps: own };
}

function fromError(host: string, error: unknown, steps: StepTiming[]): HostResult {
  const e = error as { message?: unknown; status?: unknown; data?: unknown; hint?: unknown } | undefined;
  const status =
    typeof e?.status === 'string' && STATUSES.has(e.status) ? (e.status as HostStatus) : 'failed';
  const message = typeof e?.message === 'string' && e.message ? e.message : String(error);
  const result = bare(host, status, message, steps);
  if (e?.data && typeof e.data === 'object') result.data = e.data as Record<string, unknown>;
  // What to do about it (a FleetError's hint: sudoers, --trust-new-hosts): the summary shows it.
  if (typeof e?.hint === 'string' && e.hint) result.data = { ...result.data, hint: e.hint };
  return result;
}

function bare(host: string, status: HostStatus, detail: string, steps: StepTiming[]): HostResult {
  return { host, status, durationMs: 0, detail, steps };
}

/** 500 → "500ms", 30000 → "30s", 1500 → "1.5s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Number((ms / 1000).toFixed(1))}s`;
}
