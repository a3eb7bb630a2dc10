/**
 * `fleet validate [-i PATH]`: the whole repository, before anything is sent anywhere: every
 * inventory file and profile loads, the ban list loads, and every host compiles (lockout guard
 * included). Lists every problem at once; exit 2 if there is any, else one summary line.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describeSource } from '../../inventory/index.js';
import { liveBans, precompile } from '../compile-hosts.js';
import { addInventoryOptions, type ConnectionFlags, loadFleetFor } from '../fleet-context.js';
import { CONFIG_FILE } from '../repo-config.js';

export function registerValidate(program: Command): void {
  const cmd = program
    .command('validate')
    .description('check every inventory and profile, and that every host compiles');
  addInventoryOptions(cmd).action(async (_o: unknown, c: Command) => {
    const o = c.optsWithGlobals<ConnectionFlags>();
    const fleet = loadFleetFor(o);
    const bans = await liveBans(o.dir);
    precompile(fleet, fleet.hosts, bans, {});
    const profiles = new Set(fleet.hosts.map((h) => h.profile).filter(Boolean)).size;
    const names = [...fleet.profiles.keys()].join(', ') || 'none';
    const config = path.join(o.dir, CONFIG_FILE);
    process.stdout.write(
      [
        `inventory: ${describeSource(fleet)}`,
        `profiles:  ${path.join(o.dir, 'profiles')}/ (${names})`,
        ...(existsSync(config) ? [`config:    ${config} (flag defaults)`] : []),
        `ok: ${fleet.hosts.length} hosts compile (${profiles} of ${fleet.profiles.size} profiles in use), ${bans.bans.length} live bans`,
        '',
      ].join('\n'),
    );
  });
}
