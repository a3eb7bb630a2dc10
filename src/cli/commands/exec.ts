import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import type { Inventory } from '../../inventory/index.js';
import type { HostResult } from '../../model/result.js';
import { declareHostCommand, runSelected } from '../host-command.js';
import type { HostCommandSpec } from '../host-task.js';

/**
 * The command travels as arguments of a fixed script, never pasted into it: several words run
 * as argv (`exec "$@"`); a single word is given to `sh -c` as its own argument, so shell syntax
 * in it (pipes, globs) works the way it does with ssh.
 */
const RUN_ARGV = 'exec "$@"';
const RUN_SHELL = 'exec /bin/sh -c "$1"';

export function registerExec(program: Command): void {
  const cmd = program
    .command('exec <selector> <command...>')
    .description('run an ad-hoc command on every selected host, as root (sudo -n for non-root users)');
  declareHostCommand(cmd, { timeout: '5m' }).action(
    async (selector: string, words: string[], _o, c: Command) => {
      if (words.length === 0)
        throw new InputError('give the command after --, e.g. fleet exec all -- uptime');
      process.exitCode = await runSelected<Inventory>(selector, c.optsWithGlobals(), execSpec(words));
    },
  );
}

/** What `fleet exec` runs on each host (in the main thread or a worker thread). */
export function execSpec(words: string[]): HostCommandSpec<Inventory> {
  const single = words.length === 1;
  return {
    command: 'exec',
    withProfiles: false,
    beforeSummary: renderOutputs,
    worker: () => ({ name: 'exec', args: words }),
    task: async (_job, _host, session, ctx) => {
      ctx.step('exec');
      const r = await session.run(single ? RUN_SHELL : RUN_ARGV, { args: words });
      const data = { exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
      const ok = r.code === 0;
      const detail = r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal ?? '?'}`;
      return { status: ok ? 'ok' : 'failed', detail, data };
    },
  };
}

/** Each host's output together, in selection order. */
export function renderOutputs(results: readonly HostResult[]): string {
  return results
    .filter((r) => r.data && ('stdout' in r.data || 'stderr' in r.data))
    .map((r) => {
      const out = String(r.data?.stdout ?? '');
      const err = String(r.data?.stderr ?? '');
      const body = [out, err && `[stderr]\n${err}`].filter(Boolean).join(out.endsWith('\n') ? '' : '\n');
      return `==> ${r.host} (${r.detail}) <==\n${body}${body.endsWith('\n') || !body ? '' : '\n'}`;
    })
    .join('\n')
    .concat('\n');
}
