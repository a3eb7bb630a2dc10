/**
 * Running system tools for the lab: argv arrays only (never a shell string built from values),
 * results as values. `mustRun` turns a failure into a FleetError naming the command.
 */
import { spawn } from 'node:child_process';
import { FleetError } from '../errors.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ok: boolean;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A PATH that finds the system tools even when the caller's PATH lacks the sbin folders. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ?? { ...process.env, PATH: `${process.env.PATH ?? ''}:${SYSTEM_PATH}`, LC_ALL: 'C' },
      cwd: opts.cwd,
      timeout: opts.timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: String(e.message), ok: false }));
    child.on('close', (code, signal) => {
      const c = code ?? (signal ? 128 : 1);
      resolve({
        code: c,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        ok: c === 0,
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export async function mustRun(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (!r.ok) {
    const detail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
    throw new FleetError(`lab: ${cmd} ${args.join(' ')} failed (exit ${r.code}): ${detail}`, { exitCode: 4 });
  }
  return r.stdout;
}
