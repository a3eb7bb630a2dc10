import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerRollback(program: Command): void {
  program
    .command('rollback <selector>')
    .description("restore each host's previous backup through the safe path")
    .action(notYet('rollback <selector>'));
}
