import type { Command } from 'commander';
import type { HostTarget } from '../../bans/list.js';
import type { TaskContext, TaskResult } from '../../engine/index.js';
import type { Fleet } from '../../inventory/index.js';
import type { Ban } from '../../model/ban.js';
import type { HostResult } from '../../model/result.js';
import { applyHost } from '../../ops/apply/apply-host.js';
import { pushBans } from '../../ops/ban/push.js';
import { updateBeforeApply } from '../../ops/update/gate.js';
import type { RemoteSession } from '../../remote/index.js';
import type { BanMode } from '../../ruleset/index.js';
import {
  addTransactionOptions,
  lockOwner,
  readTransactionFlags,
  transactionInput,
} from '../apply-options.js';
import {
  planAndAsk,
  processTerminal,
  type ShownPlans,
  shownPlanCheck,
  wantsPrompt,
} from '../apply-prompt.js';
import { banModeFor, HostCompiler, listedTargets, liveBans } from '../compile-hosts.js';
import { declareHostCommand, type HostCommandSpec, runSelected } from '../host-command.js';
import { keptNote } from './bans-shared.js';
import { planTask, renderDiffs } from './plan.js';

export function registerApply(program: Command): void {
  const cmd = program
    .command('apply <selector>')
    .description(
      'push compiled rulesets safely: backup, watchdog, swap, confirm over a new connection, persist',
    )
    .option(
      '--force',
      'apply even where the lockout guard or a coexistence check refuses (the watchdog still protects)',
    )
    .option('--update', 'run package updates first, under the host lock; a failed update changes no rules')
    .option('--security-only', 'with --update: security updates only')
    .option(
      '-y, --yes',
      'apply without showing the plan and asking first (there is no prompt without a terminal)',
    )
    .option(
      '--prune-bans',
      'lift bans the hosts hold that inventory/bans.yaml lacks (default: keep them and name them)',
    );
  addTransactionOptions(declareHostCommand(cmd, { canary: 1, timeout: '10m' })).action(
    async (selector: string, _o, c: Command) => {
      const flags = c.optsWithGlobals();
      const term = processTerminal();
      const prompt = wantsPrompt(flags, term);
      let shown: ShownPlans | undefined;
      const spec = await applySpec(flags, () => shown);
      process.exitCode = await runSelected<Fleet>(selector, flags, {
        ...spec,
        beforeRun: async (job, hosts, opts) => {
          if (!prompt) return undefined;
          const asked = await planAndAsk(job, hosts, opts, planTask(spec.compiler, spec.bans), term);
          shown = asked.shown;
          return asked.before;
        },
        // The diffs applied; after a prompt they were shown already (and only those are applied).
        beforeSummary: (results) => (shown ? '' : appliedDiffs(results)),
      });
    },
  );
}

/**
 * What `fleet apply` runs on each host, in the main thread or a worker thread; `shown()`: the
 * plans the prompt showed (only those are applied), which a worker gets as data.
 */
export async function applySpec(flags: Record<string, unknown>, shown: () => ShownPlans | undefined) {
  const dir = String(flags.dir);
  const settings = readTransactionFlags(flags);
  const live = await liveBans(dir);
  const targets = await listedTargets(dir);
  const compiler = new HostCompiler(live, flags);
  const owner = lockOwner();
  const spec: HostCommandSpec<Fleet> = {
    command: 'apply',
    withProfiles: true,
    prepare: (fleet, hosts) => compiler.checkAll(fleet, hosts),
    worker: () => ({ name: 'apply', args: [...(shown() ?? [])] }),
    task: async (job, host, session, ctx) => {
      const steps = beforeChangeSteps(flags, targets);
      const t = { dir, pool: job.pool, settings, owner };
      const input = transactionInput(t, host, session, {
        // Before the ban sync (the refusals' plan): the ban mode plan would show.
        compile: (_s, _live, facts) =>
          compiler.compile(job.fleet, host, steps.banMode ?? banModeFor(live.bans, facts.ipset), steps.held),
        beforeChange: steps.run,
        checkPlan: shownPlanCheck(shown(), host.name),
      });
      const result = await applyHost(input, ctx);
      const notes = [steps.updateDetail && `update: ${steps.updateDetail}`, keptNote(steps.held)];
      const extra = notes.filter(Boolean).join('; ');
      return extra ? { ...result, detail: `${result.detail}; ${extra}` } : result;
    },
  };
  return { ...spec, compiler, bans: live.bans };
}

function appliedDiffs(results: readonly HostResult[]): string {
  const diffs = renderDiffs(results.filter((r) => r.status === 'changed'));
  return diffs.length ? `${diffs.join('\n')}\n` : '';
}

/**
 * Under the host lock, once the refusals are decided (nothing is written to a refused host),
 * before the rules: package updates (`--update`; a failed update ends the
 * host before any rule changes), then the ban sets synced to the fleet's list (always: both
 * families' sets exist from the first apply, so a later ban changes members, never rules), so
 * the compiled rules match bans the way the host holds them (ipset where it has ipset, rules
 * otherwise). Bans the host holds that the list lacks are kept and named (one ledger: a stale
 * checkout does not lift today's bans) unless --prune-bans. The host is read again when they
 * changed anything.
 */
function beforeChangeSteps(flags: Record<string, unknown>, targets: HostTarget[]) {
  const steps = {
    banMode: undefined as BanMode | undefined,
    updateDetail: '',
    held: [] as Ban[],
    run: async (session: RemoteSession, ctx: TaskContext): Promise<TaskResult | { reread: boolean }> => {
      if (flags.update) {
        ctx.step('update');
        const opts = { securityOnly: flags.securityOnly === true };
        const gate = await updateBeforeApply(session, opts, (r) => ctx.wait(r));
        steps.updateDetail = gate.detail;
        if (!gate.proceed) return { status: 'failed', detail: gate.detail, data: { update: gate.result } };
      }
      ctx.step('bans');
      const keepHeld = flags.pruneBans !== true;
      const out = await pushBans(session, { op: 'sync', targets, lockHeld: true, keepHeld });
      steps.banMode = out.mode;
      // Rules mode: a held timed ban's rule names its end; the compiled rule must name the same.
      steps.held = out.held.map(({ cidr, family, until }) => ({
        cidr,
        family,
        ...(until && { expires: new Date(until * 1000).toISOString() }),
      }));
      return { reread: flags.update === true || out.changed || out.persisted.length > 0 };
    },
  };
  return steps;
}
