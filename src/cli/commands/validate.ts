/**
 * `fleet validate [-i PATH]`: the whole repository, before anything is sent anywhere: every
 * inventory file and profile loads, the ban list loads, and every host compiles (lockout guard
 * included). Lists every problem at once; exit 2 if there is any, else one summary line.
 */
import type { Command } from 'commander';
import { InputError, type Problem } from '../../errors.js';
import { loadFleet } from '../../inventory/index.js';
import { compileHost, liveBans } from './compile.js';

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
      const problems = fleet.hosts.flatMap((host) =>
        hostProblems(() => compileHost(fleet, host, bans), host.name),
      );
      if (problems.length > 0) throw new InputError(problems, 'fix these, then run `fleet validate` again');
      const profiles = new Set(fleet.hosts.map((h) => h.profile).filter(Boolean)).size;
      process.stdout.write(
        `ok: ${fleet.hosts.length} hosts compile (${profiles} of ${fleet.profiles.size} profiles in use), ${bans.length} live bans\n`,
      );
    });
}

function hostProblems(fn: () => unknown, host: string): Problem[] {
  try {
    fn();
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) =>
      p.message.includes(`host ${host}`) ? p : { ...p, message: `host ${host}: ${p.message}` },
    );
  }
}
