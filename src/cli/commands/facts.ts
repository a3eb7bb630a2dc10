import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerFacts(program: Command): void {
  program
    .command('facts <selector>')
    .description('gather OS, package manager, iptables backend and rule counts')
    .action(notYet('facts <selector>'));
}
