import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerHosts(program: Command): void {
  program
    .command('hosts <selector>')
    .description('list the hosts a selector picks')
    .action(notYet('hosts <selector>'));
}
