/**
 * The command-line program: declares commands, maps errors to exit codes.
 * Only cli/ prints or sets the exit code; the core returns values.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { EXIT, FleetError } from '../errors.js';
import { terminalText } from '../report/terminal-text.js';
import { COMMANDS } from './commands/index.js';
import { applyRepoConfig } from './repo-config.js';

const EXIT_HELP = `
Exit codes:
  0  converged, or nothing to do
  1  at least one host failed, rolled back or was unreachable
  2  usage or input error (nothing was sent to any host)
  3  stopped early: the failure threshold was reached or the user interrupted
  4  internal error (a bug: please report it with the output of --debug)`;

export function buildProgram(): Command {
  const program = new Command('fleet')
    .description('Keep the iptables firewalls of a fleet of Linux servers right, over plain SSH.')
    .version(packageVersion(), '-V, --version', 'print the version of fleet')
    .option('--debug', 'show stack traces and SSH debug detail')
    .option('--no-color', 'no colour, even on a terminal (as NO_COLOR=1)')
    .option('-C, --dir <path>', 'the fleet repository (holds inventory/ and profiles/)', '.')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError('(run with --help for usage)')
    // Usage errors throw (and exit 2, like every input error) instead of exiting with 1.
    .exitOverride()
    // commander echoes arguments in its errors: they pass the same gate as everything else.
    .configureOutput({ writeErr: (text) => process.stderr.write(safe(text)) });
  for (const register of COMMANDS) register(program);
  // fleet.yaml (-C dir): defaults for the flags the command line leaves unset (docs/config.md).
  program.hook('preAction', (_root, action) => applyRepoConfig(program, action));
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // `fleet ... | head`: a reader that stops early is not an error.
  process.stdout.once('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  // One switch for every renderer: --no-color is NO_COLOR (no-color.org).
  if (argv.includes('--no-color')) process.env.NO_COLOR = '1';
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const code = reportError(err, argv.includes('--debug'));
    // plan --detailed-exitcode: 2 means "changes pending", so any failure is 1 (as Terraform).
    process.exitCode = argv.includes('--detailed-exitcode') && code !== EXIT.ok ? EXIT.hostFailed : code;
  }
}

function reportError(err: unknown, debug: boolean): number {
  if (err instanceof FleetError) {
    process.stderr.write(`fleet: ${safe(err.message)}\n`);
    if (err.hint) process.stderr.write(`hint: ${safe(err.hint)}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as { code?: string; exitCode?: number };
  if (typeof e?.code === 'string' && e.code.startsWith('commander.')) {
    // commander has already printed the message; help and --version exit 0.
    return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  process.stderr.write(`fleet: internal error: ${safe((err as Error)?.message ?? String(err))}\n`);
  if (debug) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  else process.stderr.write('hint: this is a bug in fleet; run again with --debug and report the output\n');
  return EXIT.internal;
}

/** Error text echoes arguments and host output: no escape sequence reaches the terminal. */
function safe(text: string): string {
  return terminalText(text, { lines: true });
}

/**
 * The version in fleet's package.json: the nearest one above this module (src/cli and dist/cli
 * sit two folders below it, the bench's build .fleet/bench/src/cli four).
 */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
      if (pkg.name === 'fleet') return String(pkg.version);
    } catch {
      // no package.json here: look one folder up
    }
  }
  return 'unknown';
}
