/**
 * `fleet compile HOST [--v6] [--force] [--ban-mode rules|ipset] [-i PATH]`: print the
 * iptables-restore text the host compiles to (its profile, the inventory's management sources,
 * the fleet's live bans). Nothing is sent anywhere. Refusals (lockout guard, bad profile) exit 2.
 */
import type { Command } from 'commander';
import { checkLiveBans } from '../../bans/live.js';
import { InputError } from '../../errors.js';
import type { Fleet } from '../../inventory/index.js';
import { didYouMean } from '../../inventory/input/suggest.js';
import type { Host } from '../../model/host.js';
import type { BanMode } from '../../ruleset/index.js';
import { compileHost, liveBans } from '../compile-hosts.js';
import { addInventoryOptions, type ConnectionFlags, loadFleetFor } from '../fleet-context.js';

interface CompileOptions extends ConnectionFlags {
  v6?: boolean;
  force?: boolean;
  banMode?: string;
}

export function registerCompile(program: Command): void {
  const cmd = program
    .command('compile <host>')
    .description('print the ruleset a host compiles to (iptables-restore text)')
    .option('--v6', 'print the IPv6 ruleset (ip6tables-restore) instead of IPv4')
    .option('--force', 'compile even if the lockout guard says management could not SSH in')
    .option('--ban-mode <mode>', 'bans as one rule each (rules) or one ipset match (ipset)', 'rules');
  addInventoryOptions(cmd)
    .addHelpText(
      'after',
      '\nWhen the profile preserves chains, the text is for `iptables-restore --noflush`.',
    )
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<CompileOptions>();
      const fleet = loadFleetFor(o);
      const live = await liveBans(o.dir);
      checkLiveBans(live, fleet);
      const host = findHost(fleet, name);
      const out = compileHost(fleet, host, live.bans, { force: o.force }, banMode(o.banMode));
      process.stderr.write(`fleet: ${whereFrom(fleet, host)}\n`);
      if (out.noflush) process.stderr.write('fleet: this profile preserves chains: restore with --noflush\n');
      process.stdout.write(o.v6 ? out.v6 : out.v4);
    });
}

export function findHost(fleet: Fleet, name: string): Host {
  const host = fleet.hosts.find((h) => h.name === name);
  if (host) return host;
  throw new InputError(
    `unknown host "${name}"${didYouMean(
      name,
      fleet.hosts.map((h) => h.name),
    )}`,
    '`fleet hosts all` lists the inventory',
  );
}

/** `web-01 (inventory/a.yaml:7:3) compiled from profiles/web-servers.yaml (base, web-servers)` */
function whereFrom(fleet: Fleet, host: Host): string {
  const at = host.declaredAt
    ? ` (${host.declaredAt.file}:${host.declaredAt.line}:${host.declaredAt.col})`
    : '';
  const profile = host.profile ? fleet.profiles.get(host.profile) : undefined;
  const from = profile ? ` compiled from ${profile.file} (${profile.lineage.join(' < ')})` : '';
  return `host ${host.name}${at}${from}, management sources from ${fleet.source.settingsFile ?? 'nowhere (no settings)'}`;
}

function banMode(text: string | undefined): BanMode {
  if (text === undefined || text === 'rules' || text === 'ipset') return text ?? 'rules';
  throw new InputError(`--ban-mode: "${text}" is not rules or ipset`);
}
