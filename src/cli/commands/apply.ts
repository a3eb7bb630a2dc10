import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerApply(program: Command): void {
  program
    .command('apply <selector>')
    .description('push compiled rulesets safely: backup, watchdog, swap, confirm, persist')
    .action(notYet('apply <selector>'));
}
