/**
 * `fleet update SEL [--check] [--security-only] [--reboot-if-needed]`: package updates on every
 * selected host through the fan-out runner (canary, batches, max-fail, report file, exit codes).
 * A reboot happens inside the host's task, so it rolls within the batch limits. docs/updates.md.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import type { Inventory } from '../../inventory/index.js';
import { type UpdateTaskOptions, updateHost } from '../../ops/update/index.js';
import { parseDuration } from '../fanout-options.js';
import { declareHostCommand, runSelected } from '../host-command.js';

interface UpdateFlags {
  check?: boolean;
  securityOnly?: boolean;
  rebootIfNeeded?: boolean;
  lockWait: string;
  rebootWait: string;
}

export function registerUpdate(program: Command): void {
  const cmd = program
    .command('update <selector>')
    .description('run apt/dnf/yum package updates: what changed per host, and whether a reboot is due')
    .option('--check', 'change nothing: list the pending upgrades per host (apt simulate, check-update)')
    .option('--security-only', 'only updates from security sources')
    .option('--reboot-if-needed', 'reboot hosts whose update requires it, within the batch limits, and wait')
    .option('--lock-wait <duration>', "how long to wait for another package manager's lock", '2m')
    .option('--reboot-wait <duration>', 'how long a rebooting host has to come back', '10m');
  declareHostCommand(cmd, { canary: 1, timeout: '30m' }).action(
    async (selector: string, _o: unknown, c: Command) => {
      process.exitCode = await updateCommand(selector, c.optsWithGlobals());
    },
  );
}

export async function updateCommand(selector: string, raw: Record<string, unknown>): Promise<number> {
  const task = readTaskOptions(raw as unknown as UpdateFlags);
  return runSelected<Inventory>(selector, raw, {
    command: 'update',
    withProfiles: false,
    task: (job, host, session, ctx) =>
      updateHost(
        {
          session: async () => session,
          fresh: () => job.pool.openFresh(host),
          step: (name) => ctx.step(name),
          wait: (reason) => ctx.wait(reason),
          signal: ctx.signal,
        },
        task,
      ),
  });
}

/** The update flags, validated: every bad value at once, as an InputError (exit 2). */
export function readTaskOptions(f: UpdateFlags): UpdateTaskOptions {
  const problems: string[] = [];
  const seconds = (flag: string, v: string) => {
    try {
      return parseDuration(v);
    } catch (err) {
      problems.push(`--${flag} ${JSON.stringify(v)}: ${(err as Error).message}`);
      return 0;
    }
  };
  const lockMs = seconds('lock-wait', f.lockWait);
  const rebootWaitMs = seconds('reboot-wait', f.rebootWait);
  if (f.check && f.rebootIfNeeded) problems.push('--reboot-if-needed cannot be used with --check');
  if (problems.length) throw new InputError(problems.map((message) => ({ message })));
  return {
    mode: f.check ? 'check' : 'upgrade',
    securityOnly: f.securityOnly === true,
    lockWaitSeconds: Math.min(Math.ceil(lockMs / 1000), 86_400),
    rebootIfNeeded: f.rebootIfNeeded === true,
    rebootWaitMs,
  };
}
