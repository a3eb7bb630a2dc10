/**
 * Typed errors. Everything a user can cause is a FleetError with an exit code
 * and a message a person can act on; anything else is a bug (exit 4).
 */

/** Exit codes are a contract (README, `fleet --help`). */
export const EXIT = {
  ok: 0,
  hostFailed: 1,
  usage: 2,
  stopped: 3,
  internal: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class FleetError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  constructor(message: string, opts: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? EXIT.usage;
    this.hint = opts.hint;
  }
}

/** Where in a file a problem is: 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export interface Problem {
  pos?: SourcePos;
  /** Dotted path inside the document, e.g. `hosts.web-3.groups[1]`. */
  path?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.pos ? `${p.pos.file}:${p.pos.line}:${p.pos.col} ` : '';
  const path = p.path ? `${p.path}: ` : '';
  return `${where}${path}${p.message}`;
}

/** Bad input (inventory, profile, flag, address): every problem at once, exit 2. */
export class InputError extends FleetError {
  readonly problems: Problem[];
  constructor(problems: Problem[] | Problem | string, hint?: string) {
    const list = normalizeProblems(problems);
    super(list.map(formatProblem).join('\n'), { exitCode: EXIT.usage, hint });
    this.problems = list;
  }
}

function normalizeProblems(p: Problem[] | Problem | string): Problem[] {
  if (typeof p === 'string') return [{ message: p }];
  return Array.isArray(p) ? p : [p];
}

/** A system prerequisite is missing (not root, a tool not installed). */
export class EnvironmentError extends FleetError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: EXIT.usage, hint });
  }
}
