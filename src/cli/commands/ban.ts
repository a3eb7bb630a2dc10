import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerBan(program: Command): void {
  program
    .command('ban <addresses...>')
    .description('block addresses on every host, now')
    .action(notYet('ban <addresses...>'));
}
