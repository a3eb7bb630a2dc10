import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerBackups(program: Command): void {
  program
    .command('backups <host>')
    .description("list a host's rule backups")
    .action(notYet('backups <host>'));
}
