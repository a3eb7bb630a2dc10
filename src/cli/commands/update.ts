import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerUpdate(program: Command): void {
  program
    .command('update <selector>')
    .description('run apt/dnf/yum package updates')
    .action(notYet('update <selector>'));
}
