/** The contract between ops/ and the SSH layer. A failed command is data, not an exception. */

export interface ExecResult {
  /** Exit status, or null when the command was killed by a signal or timed out. */
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ExecOptions {
  /** Arguments for the script: each is quoted with the one quote() function, never pasted. */
  args?: string[];
  /** Data for the script's standard input (rulesets travel this way). */
  stdin?: string | Buffer;
  timeoutMs?: number;
  /** Output as it arrives (for `fleet exec` live output); the result still holds all of it. */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /**
   * Keep the script's stdin open until this settles (after writing `stdin`), then end it:
   * a host lock held by a script lives exactly as long as its channel and connection.
   */
  holdStdinUntil?: Promise<unknown>;
}

export interface RemoteSession {
  readonly hostName: string;
  /** Run one POSIX sh script (fleet's own text) on one exec channel, as root (sudo -n if needed). */
  run(script: string, opts?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}
