import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerLogs(program: Command): void {
  program
    .command('logs <selector>')
    .description('summarize dropped-packet log lines across the fleet')
    .action(notYet('logs <selector>'));
}
