import type { Command } from 'commander';
import { HostError, type TaskContext, type TaskResult } from '../../engine/index.js';
import type { Inventory } from '../../inventory/index.js';
import type { Host } from '../../model/host.js';
import { applyHost } from '../../ops/apply/apply-host.js';
import { backupAsDesired, listBackups, readBackup } from '../../ops/apply/backups.js';
import type { RemoteSession } from '../../remote/index.js';
import {
  addTransactionOptions,
  lockOwner,
  readTransactionFlags,
  transactionInput,
} from '../apply-options.js';
import { declareHostCommand, type HostJob, runSelected } from '../host-command.js';

export function registerRollback(program: Command): void {
  const cmd = program
    .command('rollback <selector>')
    .description(
      "restore each host's newest backup (the rules before its last change) through the safe path",
    );
  addTransactionOptions(declareHostCommand(cmd, { canary: 1, timeout: '10m' })).action(
    async (selector: string, _o, c: Command) => {
      process.exitCode = await restoreBackups('rollback', selector, c.optsWithGlobals(), (names) =>
        names.at(-1),
      );
    },
  );
}

/** Picks the backup to restore from a host's list (oldest first); undefined: none fits. */
export type BackupPicker = (names: readonly string[]) => string | undefined;

/** rollback and restore: read the chosen backup under the lock, then the apply transaction. */
export async function restoreBackups(
  command: string,
  selector: string,
  flags: Record<string, unknown>,
  pick: BackupPicker,
): Promise<number> {
  const settings = readTransactionFlags(flags);
  const owner = lockOwner();
  return runSelected<Inventory>(selector, flags, {
    command,
    withProfiles: false,
    task: (job, host, session, ctx) => restoreHost(job, host, session, ctx, { settings, owner, pick }),
  });
}

async function restoreHost(
  job: HostJob<Inventory>,
  host: Host,
  session: RemoteSession,
  ctx: TaskContext,
  o: { settings: ReturnType<typeof readTransactionFlags>; owner: string; pick: BackupPicker },
): Promise<TaskResult> {
  let chosen = '';
  const t = { dir: String(job.flags.dir), pool: job.pool, settings: o.settings, owner: o.owner };
  const input = transactionInput(t, host, session, {
    compile: async (s) => {
      ctx.step('read-backup');
      chosen = o.pick(await listBackups(s)) ?? '';
      if (!chosen) throw new HostError('no backup on the host fits (see fleet backups HOST)');
      return backupAsDesired(await readBackup(s, chosen));
    },
  });
  const result = await applyHost(input, ctx);
  return {
    ...result,
    detail: `${result.detail} (from backup ${chosen})`,
    data: { ...result.data, restored: chosen },
  };
}
