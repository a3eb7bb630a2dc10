import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerAudit(program: Command): void {
  program
    .command('audit <selector>')
    .description('read-only drift and hygiene audit')
    .action(notYet('audit <selector>'));
}
