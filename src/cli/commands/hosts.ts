import type { Command } from 'commander';
import { loadFleet, select, selectHostsOrFail } from '../../inventory/index.js';

/**
 * `fleet hosts SELECTOR [--limit X] [-i PATH]`: one host name per line. A selection that picks
 * nothing is an input error (exit 2) naming the patterns that matched nothing.
 */
export function registerHosts(program: Command): void {
  program
    .command('hosts <selector>')
    .description(
      'list the hosts a selector picks (Ansible patterns: all, group, host, web-*, a,b, a:&b, !c, ~regex)',
    )
    .option('-l, --limit <pattern>', 'further limit the selection, as ansible --limit')
    .option(
      '-i, --inventory <path>',
      'use this inventory (native YAML, or Ansible INI/YAML) instead of inventory/ [env FLEET_INVENTORY]',
    )
    .option('-v, --verbose', 'also print address, port, user, profile and groups')
    .action((selector: string, _opts: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ dir: string; limit?: string; inventory?: string; verbose?: boolean }>();
      const fleet = loadFleet(o.dir, { inventory: o.inventory ?? process.env.FLEET_INVENTORY });
      const hosts = selectHostsOrFail(fleet, selector, o.limit);
      for (const u of select(fleet, selector, o.limit).unmatched) {
        process.stderr.write(`fleet: warning: "${u}" matches no group or host, ignoring it\n`);
      }
      const lines = hosts.map((h) =>
        o.verbose
          ? [h.name, `${h.user}@${h.address}:${h.port}`, h.profile ?? '-', h.groups.join(',') || '-'].join(
              '\t',
            )
          : h.name,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
