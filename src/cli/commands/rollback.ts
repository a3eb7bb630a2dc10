import type { Command } from 'commander';
import { HostError, type TaskContext, type TaskResult } from '../../engine/index.js';
import type { Inventory } from '../../inventory/index.js';
import type { Host } from '../../model/host.js';
import { applyHost } from '../../ops/apply/apply-host.js';
import {
  type BackupEntry,
  backupAsDesired,
  listBackups,
  type Pick,
  pickRollback,
  readBackup,
} from '../../ops/apply/backups.js';
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
      "restore each host's rules from before its last change that stayed (rolled-back ones skipped), through the safe path",
    );
  addTransactionOptions(declareHostCommand(cmd, { canary: 1, timeout: '10m' })).action(
    async (selector: string, _o, c: Command) => {
      process.exitCode = await restoreBackups('rollback', selector, c.optsWithGlobals(), pickRollback);
    },
  );
}

/** Picks what to restore from a host's backups (oldest first). */
export type BackupPicker = (list: readonly BackupEntry[]) => Pick;

/** rollback and restore: read the chosen backup under the lock, then the apply transaction. */
export async function restoreBackups(
  command: string,
  selector: string,
  flags: Record<string, unknown>,
  pick: BackupPicker,
  prepare?: (hosts: Host[]) => void,
): Promise<number> {
  const settings = readTransactionFlags(flags);
  const owner = lockOwner();
  return runSelected<Inventory>(selector, flags, {
    command,
    withProfiles: false,
    prepare: (_fleet, hosts) => prepare?.(hosts),
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
  let note = '';
  const t = { dir: String(job.flags.dir), pool: job.pool, settings: o.settings, owner: o.owner };
  const input = transactionInput(t, host, session, {
    compile: async (s, live) => {
      ctx.step('read-backup');
      const pick = o.pick(await listBackups(s));
      if ('none' in pick) throw new HostError(pick.none);
      if ('current' in pick) {
        note = pick.current;
        return backupAsDesired(live);
      }
      chosen = pick.backup;
      return backupAsDesired(await readBackup(s, chosen));
    },
  });
  const result = await applyHost(input, ctx);
  return {
    ...result,
    detail: `${result.detail} (${chosen ? `from backup ${chosen}` : note})`,
    data: { ...result.data, restored: chosen || null },
  };
}
