import { join } from 'node:path';
import type { Command } from 'commander';
import type { Inventory } from '../../inventory/index.js';
import type { HostResult } from '../../model/result.js';
import { type BackupEntry, backupTime, listBackups } from '../../ops/apply/backups.js';
import { listLocalBackups } from '../../ops/apply/local-backup.js';
import { declareHostCommand, runSelected } from '../host-command.js';

export function registerBackups(program: Command): void {
  const cmd = program
    .command('backups <selector>')
    .description(
      "list hosts' rule backups with the outcome of the change that took each (and whether backups/ has a copy)",
    );
  declareHostCommand(cmd, { timeout: '60s' }).action(async (selector: string, _o, c: Command) => {
    const flags = c.optsWithGlobals();
    process.exitCode = await runSelected<Inventory>(selector, flags, {
      command: 'backups',
      withProfiles: false,
      beforeSummary: renderBackups,
      task: async (_job, host, session, ctx) => {
        ctx.step('list');
        const list = await listBackups(session);
        const local = new Set(await listLocalBackups(join(String(flags.dir), 'backups'), host.name));
        const backups = list.map((b) => ({
          ...b,
          time: backupTime(b.name).toISOString(),
          local: local.has(b.name),
        }));
        const newest = list.at(-1);
        return {
          status: 'ok',
          detail: `${list.length} backups${newest ? `, newest ${newest.name} (${newest.outcome})` : ''}`,
          data: { backups },
        };
      },
    });
  });
}

type Row = BackupEntry & { time: string; local: boolean };

function renderBackups(results: readonly HostResult[]): string {
  const blocks = results.map((r) => {
    const list = (r.data?.backups ?? []) as Row[];
    const rows = list.map(
      (b) =>
        `  ${b.name}  ${b.time}  ${b.outcome}${b.detail ? `: ${b.detail}` : ''}${b.local ? '  (copy in backups/)' : ''}`,
    );
    return [`${r.host}:`, ...(rows.length ? rows : ['  (none)'])].join('\n');
  });
  return `${blocks.join('\n')}\n\n`;
}
