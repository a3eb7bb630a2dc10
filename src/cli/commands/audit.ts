/**
 * `fleet audit SEL`: read-only drift and hygiene audit (docs/audit.md). Findings do not fail a
 * host; the exit code says whether any were serious.
 */
import type { Command } from 'commander';
import { EXIT, type ExitCode } from '../../errors.js';
import { type Fleet, profileFor } from '../../inventory/index.js';
import { managementPath } from '../../inventory/management-path.js';
import type { RunReport } from '../../model/result.js';
import { auditHost, isSerious } from '../../ops/audit/index.js';
import { parseSpan } from '../../schedule/span.js';
import { banModeFor, HostCompiler, liveBans } from '../compile-hosts.js';
import { declareHostCommand, runSelected } from '../host-command.js';
import type { HostCommandSpec } from '../host-task.js';

export const AUDIT_EXIT_HELP = `
Exit codes (without --format nagios):
  0  every host was read and has no warning or critical finding (info findings are fine)
  1  a warning or critical finding, or a host that could not be read (unreachable, failed)
  2  usage or input error (bad flag, inventory or profile), before any connection
  3  the run stopped before every host was tried (--max-fail, Ctrl-C)
With --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the plugin contract).
Checks and severities: docs/audit.md.
`;

export function registerAudit(program: Command): void {
  const cmd = program
    .command('audit <selector>')
    .description('read-only drift and hygiene audit: findings per host, exit codes monitoring understands')
    .option(
      '--backup-max-age <span>',
      'newest fleet backup on a host may be this old (0 turns the check off)',
      '30d',
    )
    .addHelpText('after', AUDIT_EXIT_HELP);
  declareHostCommand(cmd, { timeout: '2m' }).action(async (selector: string, _o, c: Command) => {
    const flags = c.optsWithGlobals();
    process.exitCode = await runSelected<Fleet>(selector, flags, await auditSpec(flags));
  });
}

/** What `fleet audit` runs on each host (in the main thread or a worker thread). */
export async function auditSpec(flags: Record<string, unknown>): Promise<HostCommandSpec<Fleet>> {
  const backupMaxAgeS =
    flags.backupMaxAge === '0' ? 0 : parseSpan('--backup-max-age', String(flags.backupMaxAge));
  const live = await liveBans(String(flags.dir));
  const { bans } = live;
  const compiler = new HostCompiler(live, flags);
  return {
    command: 'audit',
    withProfiles: true,
    prepare: (fleet, hosts) => compiler.checkAll(fleet, hosts),
    exitCode: auditExitCode,
    worker: () => ({ name: 'audit' }),
    task: (job, host, session, ctx) =>
      auditHost(
        session,
        {
          host: { name: host.name, port: host.port },
          profile: profileFor(job.fleet, host),
          management: managementPath(job.fleet, host).set,
          bans,
          settings: { backupMaxAgeS },
          compile: (ipset) => compiler.compile(job.fleet, host, banModeFor(bans, ipset)),
        },
        ctx,
      ),
  };
}

/** 1 when a host has a warning or critical finding; otherwise the runner's code. */
export function auditExitCode(report: RunReport, usual: ExitCode): ExitCode {
  if (usual !== EXIT.ok) return usual;
  return report.hosts.some((h) => h.findings?.some(isSerious)) ? EXIT.hostFailed : EXIT.ok;
}
