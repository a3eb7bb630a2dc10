/**
 * The built CLI on a real pseudo-terminal: util-linux `script` (on every Debian) runs it with a
 * pty as stdin, stdout and stderr, and this answers a prompt when it appears on the screen.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface PtyRun {
  code: number | null;
  /** Everything the terminal showed (colours included). */
  screen: string;
  /** Whether the prompt appeared. */
  asked: boolean;
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface PtyOptions {
  /** Text on the screen that means the CLI waits for an answer. */
  prompt?: string;
  /** Typed (then Enter) when the prompt shows; a function is awaited first (to act meanwhile). */
  answer?: string | (() => Promise<string>);
  limitMs?: number;
}

/** `fleet ARGS` on a 120×40 terminal; `answer` is typed when `prompt` shows (else nothing is). */
export function fleetOnPty(args: string[], o: PtyOptions = {}): Promise<PtyRun> {
  const fleet = ['node', path.join(ROOT, 'bin/fleet.js'), ...args].map(sq).join(' ');
  // An operator's terminal: CI=true (as .ci/run sets) would make fleet print plain lines even on a tty.
  const { CI: _ci, ...env } = process.env;
  const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${fleet}`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  let screen = '';
  let asked = false;
  child.stdout.on('data', (b: Buffer) => {
    screen += b.toString();
    if (!asked && o.prompt && screen.includes(o.prompt)) {
      asked = true;
      const answer = typeof o.answer === 'function' ? o.answer() : Promise.resolve(o.answer);
      void answer.then((a) => a !== undefined && child.stdin.write(`${a}\r`));
    }
  });
  child.stderr.resume();
  const killer = setTimeout(() => child.kill('SIGKILL'), o.limitMs ?? 120_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      child.stdin.end();
      resolve({ code, screen, asked });
    });
  });
}
