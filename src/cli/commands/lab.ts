import type { Command } from 'commander';

export function registerLab(program: Command): void {
  const lab = program.command('lab').description('real test hosts on this machine, in network namespaces');
  lab
    .command('up [count]')
    .description('start COUNT lab hosts (default 5)')
    .action(async () => {
      throw new Error('not yet');
    });
}
