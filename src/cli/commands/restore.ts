import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import type { Host } from '../../model/host.js';
import { BACKUP_NAME, pickAt } from '../../ops/apply/backups.js';
import { addTransactionOptions } from '../apply-options.js';
import { declareHostCommand } from '../host-command.js';
import { type BackupPicker, restoreBackups } from './rollback.js';

export function registerRestore(program: Command): void {
  const cmd = program
    .command('restore <host>')
    .description('restore a chosen backup through the safe path (--at a backup name or a time)')
    .requiredOption(
      '--at <time|name>',
      'a backup name (fleet backups HOST), or a time: the rules that were live then',
    )
    .option('--all-selected', 'restore every host the selector picks (without it: exactly one host)');
  addTransactionOptions(declareHostCommand(cmd, { canary: 0, timeout: '10m' })).action(
    async (host: string, _o, c: Command) => {
      const flags = c.optsWithGlobals();
      const at = String(flags.at);
      if (!BACKUP_NAME.test(at) && Number.isNaN(Date.parse(at))) {
        throw new InputError(
          `--at ${JSON.stringify(at)}: give a backup name (see fleet backups ${host}) or a time like 2026-11-22T01:30Z`,
        );
      }
      const pick: BackupPicker = (list) => pickAt(list, at);
      process.exitCode = await restoreBackups('restore', host, flags, pick, (hosts) =>
        oneHostUnlessAll(host, hosts, flags.allSelected === true),
      );
    },
  );
}

/**
 * `restore` rewinds one host to a chosen moment: a selector that picks several is refused
 * (exit 2, before any connection) unless --all-selected says that is meant.
 */
export function oneHostUnlessAll(selector: string, hosts: readonly Host[], all: boolean): void {
  if (hosts.length === 1 || all) return;
  const names = hosts.map((h) => h.name);
  const shown =
    names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
  throw new InputError(
    `restore takes one host, and ${JSON.stringify(selector)} picks ${names.length}: ${shown}`,
    'name one host, or pass --all-selected to restore every one of them',
  );
}
