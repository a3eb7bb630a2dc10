import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerCompile(program: Command): void {
  program
    .command('compile <host>')
    .description('print the ruleset a host compiles to (iptables-restore text)')
    .action(notYet('compile <host>'));
}
