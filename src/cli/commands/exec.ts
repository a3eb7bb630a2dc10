import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerExec(program: Command): void {
  program
    .command('exec <selector>')
    .description('run an ad-hoc command on every selected host')
    .action(notYet('exec <selector>'));
}
