import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { TaskContext, TaskResult } from '../../engine/index.js';
import { InputError } from '../../errors.js';
import type { Fleet } from '../../inventory/index.js';
import type { Ban } from '../../model/ban.js';
import { applyHost } from '../../ops/apply/apply-host.js';
import { TX_PATTERN } from '../../ops/apply/paths.js';
import type { TransactStep } from '../../ops/apply/types.js';
import { pushBans } from '../../ops/ban/push.js';
import { updateBeforeApply } from '../../ops/update/gate.js';
import type { RemoteSession } from '../../remote/index.js';
import type { BanMode } from '../../ruleset/index.js';
import { compileHost, liveBans, precompile } from '../compile-hosts.js';
import { parseCount } from '../fanout-options.js';
import { declareHostCommand, runSelected } from '../host-command.js';
import { renderPlans } from './plan.js';

const CUT_STEPS: readonly TransactStep[] = ['backup', 'armed', 'swapped', 'confirm'];

export function registerApply(program: Command): void {
  const cmd = program
    .command('apply <selector>')
    .description(
      'push compiled rulesets safely: backup, watchdog, swap, confirm over a new connection, persist',
    )
    .option(
      '--confirm-timeout <seconds>',
      'the watchdog restores the old rules unless confirmed within this',
      '30',
    )
    .option('--keep <n>', 'rule backups kept per host (on the host and in backups/)', '10')
    .option('--force', 'apply even where the lockout guard refuses (the watchdog still protects)')
    .option('--update', 'run package updates first, under the host lock; a failed update changes no rules')
    .option('--security-only', 'with --update: security updates only');
  declareHostCommand(cmd, { canary: 1, timeout: '10m' }).action(async (selector: string, _o, c: Command) => {
    const flags = c.optsWithGlobals();
    const settings = readApplyFlags(flags);
    const bans = await liveBans(flags.dir);
    const owner = `${userInfo().username}@${hostname()} pid ${process.pid}`;
    process.exitCode = await runSelected<Fleet>(selector, flags, {
      command: 'apply',
      withProfiles: true,
      prepare: (fleet, hosts) => precompile(fleet, hosts, bans, flags),
      beforeSummary: renderPlans,
      task: async (job, host, session, ctx) => {
        const steps = beforeChangeSteps(flags, bans);
        const result = await applyHost(
          {
            host: host.name,
            link: { session, fresh: () => job.pool.openFresh(host) },
            compile: () => compileHost(job.fleet, host, bans, flags, steps.banMode),
            owner,
            backupsDir: join(flags.dir, 'backups'),
            opts: { ...settings, tx: newTxId() },
            beforeChange: steps.run,
          },
          ctx,
        );
        return steps.updateDetail
          ? { ...result, detail: `${result.detail}; update: ${steps.updateDetail}` }
          : result;
      },
    });
  });
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

interface ApplySettings {
  confirmTimeoutS: number;
  keep: number;
  cutAfter?: TransactStep;
}

function readApplyFlags(raw: Record<string, unknown>): ApplySettings {
  const confirmTimeoutS = parseFlag('confirm-timeout', raw.confirmTimeout, 5);
  const keep = parseFlag('keep', raw.keep, 1);
  const cut = process.env.FLEET_TEST_CUT_AFTER as TransactStep | undefined;
  if (cut !== undefined && !CUT_STEPS.includes(cut))
    throw new InputError(`FLEET_TEST_CUT_AFTER must be one of ${CUT_STEPS.join(', ')}`);
  return { confirmTimeoutS, keep, cutAfter: cut };
}

function parseFlag(flag: string, value: unknown, min: number): number {
  try {
    return parseCount(String(value), min);
  } catch (err) {
    throw new InputError(`--${flag} ${JSON.stringify(String(value))}: ${(err as Error).message}`);
  }
}

/** A transaction id: random, safe in file names and as a script argument (backups add the time). */
export function newTxId(): string {
  const id = randomBytes(5).toString('hex');
  if (!TX_PATTERN.test(id)) throw new Error(`bad transaction id ${id}`);
  return id;
}
