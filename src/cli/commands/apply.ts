import type { Command } from 'commander';
import type { TaskContext, TaskResult } from '../../engine/index.js';
import type { Fleet } from '../../inventory/index.js';
import type { Ban } from '../../model/ban.js';
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
import { HostCompiler, liveBans } from '../compile-hosts.js';
import { declareHostCommand, runSelected } from '../host-command.js';

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
    .option('--security-only', 'with --update: security updates only');
  addTransactionOptions(declareHostCommand(cmd, { canary: 1, timeout: '10m' })).action(
    async (selector: string, _o, c: Command) => {
      const flags = c.optsWithGlobals();
      const settings = readTransactionFlags(flags);
      const bans = await liveBans(flags.dir);
      const compiler = new HostCompiler(bans, flags);
      const owner = lockOwner();
      process.exitCode = await runSelected<Fleet>(selector, flags, {
        command: 'apply',
        withProfiles: true,
        prepare: (fleet, hosts) => compiler.checkAll(fleet, hosts),
        task: async (job, host, session, ctx) => {
          const steps = beforeChangeSteps(flags, bans);
          const t = { dir: flags.dir, pool: job.pool, settings, owner };
          const input = transactionInput(t, host, session, {
            compile: () => compiler.compile(job.fleet, host, steps.banMode),
            beforeChange: steps.run,
          });
          const result = await applyHost(input, ctx);
          return steps.updateDetail
            ? { ...result, detail: `${result.detail}; update: ${steps.updateDetail}` }
            : result;
        },
      });
    },
  );
}

/**
 * Under the host lock, before the rules: package updates (`--update`; a failed update ends the
 * host before any rule changes), then the ban sets synced to the fleet's list, so the compiled
 * rules match bans the way the host holds them (ipset where it has ipset, rules otherwise).
 */
function beforeChangeSteps(flags: Record<string, unknown>, bans: Ban[]) {
  const steps = {
    banMode: 'rules' as BanMode,
    updateDetail: '',
    run: async (session: RemoteSession, ctx: TaskContext): Promise<TaskResult | null> => {
      if (flags.update) {
        ctx.step('update');
        const gate = await updateBeforeApply(session, { securityOnly: flags.securityOnly === true });
        steps.updateDetail = gate.detail;
        if (!gate.proceed) return { status: 'failed', detail: gate.detail, data: { update: gate.result } };
      }
      if (bans.length > 0) {
        ctx.step('bans');
        const targets = bans.map((b) => ({ cidr: b.cidr, family: b.family }));
        steps.banMode = (await pushBans(session, { op: 'sync', targets, lockHeld: true })).mode;
      }
      return null;
    },
  };
  return steps;
}
