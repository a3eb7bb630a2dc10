/**
 * apply's plan and prompt, as `terraform apply`: on a terminal (stdin and stdout), every selected
 * host is planned first (read-only: `fleet plan`'s own task, all hosts at once, before the first
 * wave), the diffs are shown, and only `yes` lets the apply start. What was shown is what may be
 * applied: each host's transaction compares the diff it is about to swap with the one shown
 * (`shownPlanCheck`) and refuses the host when they differ. See docs/apply.md#the-prompt.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { HostError, type TaskResult } from '../engine/index.js';
import { EXIT, InputError } from '../errors.js';
import type { Fleet } from '../inventory/index.js';
import type { Host } from '../model/host.js';
import type { HostResult } from '../model/result.js';
import type { HostPlan } from '../ops/host-plan.js';
import { renderPlans } from './commands/plan.js';
import type { FanoutOptions } from './fanout-options.js';
import { type BeforeRun, type HostCommandSpec, type HostJob, sessionTask } from './host-command.js';
import { type CommandIO, processIO, runWithProgress, writeDiffs } from './run-command.js';

/** The one answer that applies (as Terraform: a stray `y` or Enter changes nothing). */
export const YES = 'yes';

export interface PromptTerminal {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  io: CommandIO;
}

export function processTerminal(): PromptTerminal {
  return { stdin: process.stdin, io: processIO() };
}

/**
 * Ask when stdin and stdout are both terminals and `--yes` is absent; never in cron, CI or a
 * pipe. `--json` on a terminal would put the prompt among the JSON lines: it needs `--yes`.
 */
export function wantsPrompt(flags: Record<string, unknown>, term: PromptTerminal): boolean {
  if (flags.yes === true) return false;
  if (!(term.stdin.isTTY && term.io.stdout.isTTY)) return false;
  if (flags.json === true)
    throw new InputError('--json on a terminal asks nothing: add --yes to apply without the prompt');
  return true;
}

/**
 * What a diff changes, as a digest: its `+`/`-` lines (policies too) under their chain and
 * family, without context lines (a neighbour's counters or a foreign rule beside a change are not
 * fleet's change) and without bans (the ban sync runs before the transaction, outside it, and
 * adds the FLEET-BANS chain and its jump that the plan shows). Two diffs with the same digest
 * make the same change.
 */
export function changeDigest(diff: string | undefined): string {
  const kept: string[] = [];
  let pending: string[] = [];
  let bans = false;
  for (const line of (diff ?? '').split('\n')) {
    if (line.startsWith('+++ ')) pending = [line];
    else if (line.startsWith('@@ ')) {
      pending = [...pending.filter((l) => l.startsWith('+++ ')), line];
      bans = /^@@ \S+ FLEET-BANS @@/.test(line);
    } else if (/^[+-]/.test(line) && !line.startsWith('--- ') && !bans && !line.includes('"fleet:bans:')) {
      kept.push(...pending, line);
      pending = [];
    }
  }
  return createHash('sha256').update(kept.join('\n')).digest('hex');
}

/** The plans shown at the prompt, by host. */
export type ShownPlans = ReadonlyMap<string, HostResult>;

/**
 * Plan every host, show the diffs and the count, ask. `stop` (exit 3, nothing changed) unless
 * the answer is `yes`; hosts whose plan could not be made are then not applied (no plan of
 * theirs was shown). When nothing would change, nothing is asked.
 */
export async function planAndAsk(
  job: HostJob<Fleet>,
  hosts: Host[],
  opts: FanoutOptions,
  plan: HostCommandSpec<Fleet>['task'],
  term: PromptTerminal,
): Promise<{ before: BeforeRun; shown: ShownPlans }> {
  const { io } = term;
  const engine = { concurrency: opts.concurrency, timeoutMs: opts.timeoutMs };
  const { run } = await runWithProgress('plan', hosts, sessionTask(job, plan), engine, io);
  const shown = new Map(run.results.map((r) => [r.host, r]));
  writeDiffs(io.stdout, io.env, renderPlans(run.results).replace(/\n\n$/, '\n'));
  if (run.stopReason) return cancelled(io, `the plan was stopped (${run.stopReason})`, shown);
  const changing = run.results.filter((r) => r.status === 'changed').length;
  if (changing > 0) {
    const hostsWord = `${changing} host${changing === 1 ? '' : 's'}`;
    const answer = await ask(term, `\nApply these changes to ${hostsWord}? Only '${YES}' is accepted: `);
    if (answer !== YES) return cancelled(io, `the answer was not '${YES}'`, shown);
  }
  return { before: { settled: (host) => notPlanned(shown.get(host)) }, shown };
}

function cancelled(io: CommandIO, why: string, shown: ShownPlans) {
  io.stdout.write(`apply cancelled (${why}): nothing changed\n`);
  return { before: { stop: EXIT.stopped }, shown };
}

/** A host whose plan failed was shown no diff: it is not applied, its plan's result stands. */
function notPlanned(r: HostResult | undefined): TaskResult | undefined {
  if (!r || r.status === 'changed' || r.status === 'unchanged') return undefined;
  return { status: r.status, detail: `not applied: its plan failed before the prompt: ${r.detail}` };
}

/**
 * At the swap, under the host lock: the diff fleet is about to apply must be the one shown (the
 * host may have changed since the prompt: another operator, a tool, a hand edit). Throws, and
 * the host keeps its rules, when it is not.
 */
export function shownPlanCheck(shown: ShownPlans | undefined, host: string) {
  if (!shown) return undefined;
  const was = shown.get(host);
  const want = changeDigest(was?.status === 'changed' ? was.diff : '');
  return (plan: HostPlan): void => {
    if (changeDigest(plan.diffText) === want) return;
    const what = was?.status === 'changed' ? 'differs from the one shown' : 'was not shown (no change was)';
    throw new HostError(
      `not applied: the host changed since the prompt, its diff now ${what}; nothing was changed: run fleet apply again to see the new plan`,
      'failed',
      { diff: plan.diffText },
    );
  };
}

/** One line from the terminal; Ctrl-C or Ctrl-D count as no. */
function ask(term: PromptTerminal, question: string): Promise<string> {
  const rl = createInterface({ input: term.stdin, output: term.io.stdout as NodeJS.WritableStream });
  return new Promise<string>((resolve) => {
    const done = (answer: string) => {
      resolve(answer.trim());
      rl.close();
    };
    rl.on('SIGINT', () => {
      term.io.stdout.write('\n');
      done('');
    });
    rl.on('close', () => resolve(''));
    rl.question(question, done);
  });
}
