import type { Command } from 'commander';
import { select, selectHostsOrFail } from '../../inventory/index.js';
import type { Host } from '../../model/host.js';
import { terminalText } from '../../report/terminal-text.js';
import { addInventoryOptions, type ConnectionFlags, loadInventoryFor } from '../fleet-context.js';

interface HostsOptions extends ConnectionFlags {
  verbose?: boolean;
}

/**
 * `fleet hosts SELECTOR [--limit X] [-i PATH] [-v]`: one host per line. A selection that picks
 * nothing is an input error (exit 2) naming the patterns that matched nothing (docs/inventory.md).
 */
export function registerHosts(program: Command): void {
  const cmd = program
    .command('hosts <selector>')
    .description(
      'list the hosts a selector picks (Ansible patterns: all, group, host, web-*, a,b, a:&b, !c, ~regex)',
    )
    .option('-l, --limit <pattern>', 'further limit the selection, as ansible --limit does');
  addInventoryOptions(cmd)
    .option('-v, --verbose', 'also print user@address:port, profile and groups (tab-separated)')
    .action((selector: string, _opts: unknown, cmd: Command) =>
      listHosts(selector, cmd.optsWithGlobals<HostsOptions>()),
    );
}

/** The inventory alone: profiles are not read, so it works outside a fleet repository with -i. */
function listHosts(selector: string, o: HostsOptions): void {
  const fleet = loadInventoryFor(o);
  const { hosts, unmatched } = select(fleet, selector, o.limit);
  if (!hosts.length) selectHostsOrFail(fleet, selector, o.limit); // throws the explained InputError
  for (const u of unmatched)
    process.stderr.write(
      `fleet: warning: ${terminalText(JSON.stringify(u))} matches no group or host, ignoring it\n`,
    );
  process.stdout.write(hosts.map((h) => `${o.verbose ? details(h) : h.name}\n`).join(''));
}

function details(h: Host): string {
  const address = h.address.includes(':') ? `[${h.address}]` : h.address;
  return [h.name, `${h.user}@${address}:${h.port}`, h.profile ?? '-', h.groups.join(',') || '-'].join('\t');
}
