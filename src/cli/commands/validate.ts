/**
 * `fleet validate [-i PATH]`: the whole repository, before anything is sent anywhere: every
 * inventory file and profile loads, the ban list loads, and every host compiles (lockout guard
 * included). Lists every problem at once; exit 2 if there is any, else one summary line.
 */
import type { Command } from 'commander';
import { loadFleet } from '../../inventory/index.js';
import { liveBans, precompile } from '../compile-hosts.js';

interface ValidateOptions {
  dir: string;
  inventory?: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check every inventory and profile, and that every host compiles')
    .option('-i, --inventory <path>', 'use this inventory instead of inventory/ [env FLEET_INVENTORY]')
    .action(async (_o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<ValidateOptions>();
      const fleet = loadFleet(o.dir, { inventory: o.inventory ?? process.env.FLEET_INVENTORY });
      const bans = await liveBans(o.dir);
      precompile(fleet, fleet.hosts, bans, {});
      const profiles = new Set(fleet.hosts.map((h) => h.profile).filter(Boolean)).size;
      process.stdout.write(
        `ok: ${fleet.hosts.length} hosts compile (${profiles} of ${fleet.profiles.size} profiles in use), ${bans.length} live bans\n`,
      );
    });
}
