import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerBans(program: Command): void {
  program
    .command('bans [action]')
    .description("list, sync or expire the fleet's ban list")
    .action(notYet('bans [action]'));
}
