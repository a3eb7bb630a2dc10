import type { Command } from 'commander';
import { notYet } from '../stub.js';

export function registerUnban(program: Command): void {
  program.command('unban <addresses...>').description('lift bans').action(notYet('unban <addresses...>'));
}
