/**
 * The one quoting function: POSIX single quotes. Every value that reaches a remote shell goes
 * through here (as an argv word of fleet's own constant script), never pasted into script text.
 */

/** Quote `s` as one word for a POSIX shell: `'...'`, with each `'` written as `'\''`. */
export function quote(s: string): string {
  if (s.includes('\0')) throw new TypeError('a shell argument cannot contain a NUL byte');
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Arguments for one remote command: `sh -c SCRIPT fleet ARGS...`, optionally through `sudo -n`. */
export interface CommandSpec {
  script: string;
  args?: readonly string[];
  sudo?: boolean;
}

/**
 * The exact command line sent on the exec channel. The remote login shell parses it once:
 * `sh -c` receives the script as one word, `$0` is `fleet`, and `$1...` are the args.
 */
export function buildCommand({ script, args = [], sudo = false }: CommandSpec): string {
  const words = ['sh', '-c', quote(script), 'fleet', ...args.map(quote)];
  return (sudo ? ['sudo', '-n', ...words] : words).join(' ');
}
