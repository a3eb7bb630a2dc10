/**
 * `fleet schedule audit SEL --every 1d`: prints (or with --install writes and enables) a systemd
 * timer and service pair, or with --cron a crontab entry, that runs the audit on this
 * workstation. The selector and flags are checked against the fleet first. docs/audit.md.
 */
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { FleetError } from '../../errors.js';
import { cronEntry, withCronEntry } from '../../schedule/cron.js';
import { planSchedule, type Schedule, unitSpec } from '../../schedule/plan.js';
import { serviceUnit, timerUnit } from '../../schedule/systemd.js';
import { selectFromFleet } from '../fleet-context.js';
import { writeAtomic } from './report.js';

const run = promisify(execFile);

interface ScheduleFlags {
  dir: string;
  every: string;
  cron?: boolean;
  install?: boolean;
  enable: boolean;
  name?: string;
  unitDir?: string;
  inventory?: string;
  format?: string;
  out?: string;
  backupMaxAge?: string;
}

export function registerSchedule(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('print or install a systemd timer or crontab line that runs audits from this workstation');
  schedule
    .command('audit <selector>')
    .description('run `fleet audit SELECTOR` on a schedule (systemd timer + service, or cron)')
    .requiredOption('--every <span>', 'how often: 15m, 1h, 6h, 1d (nightly at 02:00 + spread), 1w; 5m to 4w')
    .option('--cron', 'a crontab entry instead of systemd units')
    .option('--install', 'write and enable it (systemd: daemon-reload, enable --now; cron: your crontab)')
    .option('--no-enable', 'with --install and systemd: write the units only')
    .option('--name <name>', 'fleet-audit-NAME instead of fleet-audit (several schedules side by side)')
    .option(
      '--unit-dir <dir>',
      'write units here (default /etc/systemd/system as root, else ~/.config/systemd/user)',
    )
    .option('-i, --inventory <path>', "the inventory the audit uses (default: the fleet repository's)")
    .option('--format <format>', 'the audit report format (see fleet audit --help)')
    .option('--out <path>', 'where the audit writes that report (atomically, each run)')
    .option('--backup-max-age <span>', 'passed to fleet audit')
    .action(async (selector: string, _o, c: Command) => {
      await scheduleAudit(selector, c.optsWithGlobals() as ScheduleFlags);
    });
}

export async function scheduleAudit(selector: string, f: ScheduleFlags): Promise<void> {
  const dir = resolve(f.dir);
  const inventory = f.inventory ? resolve(f.inventory) : undefined;
  selectFromFleet(selector, { dir, inventory }); // the selector must pick hosts now
  const s = planSchedule({
    selector,
    dir,
    every: f.every,
    name: f.name,
    inventory,
    format: f.format,
    out: f.out ? resolve(f.out) : undefined,
    backupMaxAge: f.backupMaxAge,
    program: fleetProgram(),
    home: homedir(),
  });
  if (f.cron) await (f.install ? installCron(s) : say(cronEntry(s.unit, s.every, s.argv)));
  else await (f.install ? installUnits(s, f) : say(printedUnits(s, unitDir(f))));
}

/** node and bin/fleet.js, absolute (from this module's place in src/ or dist/). */
export function fleetProgram(): string[] {
  return [process.execPath, fileURLToPath(new URL('../../../bin/fleet.js', import.meta.url))];
}

function say(text: string): void {
  process.stdout.write(text);
}

function userMode(): boolean {
  return process.getuid?.() !== 0;
}

function unitDir(f: ScheduleFlags): string {
  if (f.unitDir) return resolve(f.unitDir);
  return userMode() ? join(homedir(), '.config/systemd/user') : '/etc/systemd/system';
}

export function printedUnits(s: Schedule, dir: string): string {
  const u = unitSpec(s);
  const systemctl = `systemctl${userMode() ? ' --user' : ''}`;
  return [
    `# ---- ${join(dir, `${s.unit}.service`)}`,
    serviceUnit(u),
    `# ---- ${join(dir, `${s.unit}.timer`)}`,
    timerUnit(u),
    `# Install: the same command with --install, or write the two files and run:`,
    `#   ${systemctl} daemon-reload && ${systemctl} enable --now ${s.unit}.timer`,
    '',
  ].join('\n');
}

async function installUnits(s: Schedule, f: ScheduleFlags): Promise<void> {
  const dir = unitDir(f);
  const u = unitSpec(s);
  await writeAtomic(join(dir, `${s.unit}.service`), serviceUnit(u));
  await writeAtomic(join(dir, `${s.unit}.timer`), timerUnit(u));
  say(`wrote ${join(dir, `${s.unit}.service`)} and ${s.unit}.timer\n`);
  if (!f.enable) return;
  const user = userMode() ? ['--user'] : [];
  await systemctl([...user, 'daemon-reload']);
  await systemctl([...user, 'enable', '--now', `${s.unit}.timer`]);
  say(`enabled ${s.unit}.timer (systemctl${user.length ? ' --user' : ''} list-timers ${s.unit}.timer)\n`);
}

async function systemctl(args: string[]): Promise<void> {
  try {
    await run('systemctl', args, { timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new FleetError(`systemctl ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`, {
      hint: 'the units are written; enable them by hand, or use --cron where systemd does not run',
    });
  }
}

async function installCron(s: Schedule): Promise<void> {
  const current = await run('crontab', ['-l']).then(
    (r) => r.stdout,
    (err: { code?: unknown; stderr?: string }) => {
      if (err.code === 'ENOENT')
        throw new FleetError('crontab is not installed here', {
          hint: 'use the systemd timer (without --cron)',
        });
      return ''; // `no crontab for USER`
    },
  );
  const next = withCronEntry(current, s.unit, cronEntry(s.unit, s.every, s.argv));
  await new Promise<void>((ok, fail) => {
    const child = execFile('crontab', ['-'], (err) =>
      err ? fail(new FleetError(`crontab - failed: ${err.message}`)) : ok(),
    );
    child.stdin?.end(next);
  });
  say(`installed the ${s.unit} entry in your crontab (crontab -l)\n`);
}
