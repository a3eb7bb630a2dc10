import type { Command } from 'commander';
import { HostError } from '../../engine/index.js';
import { EXIT, type ExitCode } from '../../errors.js';
import type { Fleet } from '../../inventory/index.js';
import type { Ban } from '../../model/ban.js';
import type { HostResult, RunReport } from '../../model/result.js';
import { armedText } from '../../ops/armed.js';
import { coexistText, type HostCoexistence } from '../../ops/coexist-check.js';
import { gatherFacts, mixedBackend } from '../../ops/facts.js';
import { deltaText, planData, planHost, withCoexistence } from '../../ops/host-plan.js';
import { banModeFor, HostCompiler, liveBans } from '../compile-hosts.js';
import { declareHostCommand, type HostCommandSpec, runSelected } from '../host-command.js';

export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan <selector>')
    .description('show per host what apply would change (read-only)')
    .option(
      '--force',
      'plan even where the lockout guard or a coexistence check refuses (shows what a forced apply would do)',
    );
  declareHostCommand(cmd, { timeout: '2m' }).action(async (selector: string, _o, c: Command) => {
    const flags = c.optsWithGlobals();
    process.exitCode = await runSelected<Fleet>(selector, flags, await planSpec(flags));
  });
}

/** What `fleet plan` runs on each host (in the main thread or a worker thread). */
export async function planSpec(flags: Record<string, unknown>): Promise<HostCommandSpec<Fleet>> {
  const live = await liveBans(String(flags.dir));
  const compiler = new HostCompiler(live, flags);
  return {
    command: 'plan',
    withProfiles: true,
    beforeSummary: renderPlans,
    exitCode: flags.detailedExitcode ? detailedExitCode : undefined,
    prepare: (fleet, hosts) => compiler.checkAll(fleet, hosts),
    task: planTask(compiler, live.bans),
    worker: () => ({ name: 'plan' }),
  };
}

/**
 * One host's plan (read-only: facts and the diff against its compiled rules). `fleet plan`'s
 * task, and apply's plan before its prompt.
 */
export function planTask(compiler: HostCompiler, bans: readonly Ban[]): HostCommandSpec<Fleet>['task'] {
  return async (job, host, session, ctx) => {
    ctx.step('facts');
    const { facts, live } = await gatherFacts(session, { withRules: true });
    if (facts.armed.length > 0) {
      // Unconfirmed rules, soon replaced by the watchdog: no plan is true for long.
      const detail = `${facts.armed.map(armedText).join('; ')}: plan again after it`;
      return { status: 'failed', detail, data: { armed: facts.armed } };
    }
    const mixed = mixedBackend(facts);
    if (mixed) throw new HostError(`apply would refuse this host: ${mixed}`);
    const compiled = compiler.compile(job.fleet, host, banModeFor(bans, facts.ipset));
    const plan = planHost(live!, compiled, facts.ip6tables, facts.activeTools);
    const data = { ...planData(plan), wouldChange: plan.changed };
    const refused = plan.coexistence.refused;
    if (refused) return { status: 'failed', detail: `refused: ${refused}`, diff: plan.diffText, data };
    if (!plan.changed)
      return { status: 'unchanged', detail: withCoexistence('rules already match', plan), data };
    const detail = withCoexistence(`would change: ${deltaText(plan)}`, plan);
    return { status: 'changed', detail, diff: plan.diffText, data };
  };
}

/**
 * Each distinct diff once, headed by the hosts it applies to; then, per host, the other tools
 * found on it and what fleet refuses there; then a line counting them.
 */
export function renderPlans(results: readonly HostResult[]): string {
  const diffs = renderDiffs(results);
  const shared = results.flatMap(sharedLine);
  const n = (s: string) => results.filter((r) => r.status === s).length;
  const refused = shared.filter((l) => l.includes(' refused: ')).length;
  const unreachable = n('unreachable') + n('failed') - refused;
  const line = `plan: ${n('changed')} hosts would change, ${n('unchanged')} unchanged, ${refused} refused, ${unreachable} unreachable or failed`;
  return `${[...diffs, ...shared, line].join('\n')}\n\n`;
}

/** Each distinct diff once, headed by the hosts it applies to (`### web-01, web-02`). */
export function renderDiffs(results: readonly HostResult[]): string[] {
  const byDiff = new Map<string, string[]>();
  for (const r of results) if (r.diff) byDiff.set(r.diff, [...(byDiff.get(r.diff) ?? []), r.host]);
  return [...byDiff].map(([diff, hosts]) => `### ${hosts.join(', ')}\n${diff}`);
}

/** `web-01 shares: docker, fail2ban: 12 rules kept` (and why fleet refuses it). */
function sharedLine(r: HostResult): string[] {
  const c = r.data?.coexistence as HostCoexistence | undefined;
  if (!c) return [];
  const text = coexistText(c) || 'nothing of other tools';
  return [`${r.host} shares: ${text}${c.refused ? `; refused: ${c.refused}` : ''}`];
}

/**
 * `--detailed-exitcode`, as Terraform: 0 nothing to do, 2 changes pending, 1 anything else
 * that went wrong (a host failed or was unreachable, the run stopped). Input errors, fleet's
 * usual 2, become 1 in main.ts so that 2 means only "changes pending".
 */
export function detailedExitCode(report: RunReport, usual: ExitCode): ExitCode {
  if (usual !== EXIT.ok) return EXIT.hostFailed;
  return report.hosts.some((h) => h.status === 'changed') ? EXIT.usage : EXIT.ok;
}
