import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { BACKUP_NAME, pickAt } from '../../ops/apply/backups.js';
import { addTransactionOptions } from '../apply-options.js';
import { declareHostCommand } from '../host-command.js';
import { restoreBackups } from './rollback.js';

export function registerRestore(program: Command): void {
  const cmd = program
    .command('restore <host>')
    .description('restore a chosen backup through the safe path (--at a backup name or a time)')
    .requiredOption(
      '--at <time|name>',
      'a backup name (fleet backups HOST), or a time: the rules that were live then',
    );
  addTransactionOptions(declareHostCommand(cmd, { canary: 0, timeout: '10m' })).action(
    async (host: string, _o, c: Command) => {
      const flags = c.optsWithGlobals();
      const at = String(flags.at);
      if (!BACKUP_NAME.test(at) && Number.isNaN(Date.parse(at))) {
        throw new InputError(
          `--at ${JSON.stringify(at)}: give a backup name (see fleet backups ${host}) or a time like 2026-11-22T01:30Z`,
        );
      }
      process.exitCode = await restoreBackups('restore', host, flags, (list) => pickAt(list, at));
    },
  );
}
