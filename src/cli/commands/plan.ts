import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerPlan(program: Command): void {
  program
    .command('plan <selector>')
    .description('show per host what apply would change')
    .action(notYet('plan <selector>'));
}
