import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check every inventory and profile, and that every host compiles')
    .action(notYet('validate'));
}
