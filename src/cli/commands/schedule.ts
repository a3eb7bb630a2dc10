import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description('print or install a systemd timer or crontab line for audits')
    .action(notYet('schedule'));
}
