import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerRestore(program: Command): void {
  program
    .command('restore <host>')
    .description('restore a chosen backup through the safe path')
    .action(notYet('restore <host>'));
}
