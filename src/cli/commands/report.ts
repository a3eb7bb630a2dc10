import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerReport(program: Command): void {
  program.command('report').description('show or compare saved reports').action(notYet('report'));
}
