/**
 * The client half of one host's swap: send the rules, read back what the host did.
 * The remote script does stage → test → backup (the compare-and-swap's read) → arm → swap in one
 * round trip.
 */
import { HostError } from '../../engine/index.js';
import type { ExecResult, RemoteSession } from '../../remote/types.js';
import { parseStamped, stepDurations } from '../sections.js';
import { V6_DELIMITER } from './paths.js';
import { TRANSACT_SCRIPT } from './scripts.js';
import type { DesiredRules, TransactOptions, TransactReport } from './types.js';

const TIMED_STEPS = new Set(['staged', 'tested', 'backup', 'compared', 'armed', 'swapped']);

export function transactStdin(rules: DesiredRules): string {
  const v4 = rules.v4.endsWith('\n') ? rules.v4 : `${rules.v4}\n`;
  return rules.v6 === null ? v4 : `${v4}${V6_DELIMITER}\n${rules.v6}`;
}

export function transactArgs(rules: DesiredRules, opts: TransactOptions): string[] {
  const pause = opts.cutAfter && opts.cutAfter !== 'confirm' ? opts.cutAfter : '';
  return [
    opts.tx,
    String(opts.confirmTimeoutS),
    rules.v6 === null ? 'no' : 'yes',
    rules.noflush ? 'noflush' : 'flush',
    pause,
    rules.expect?.v4 ?? '',
    rules.expect?.v6 ?? '',
  ];
}

/** `onStep` hears each step's marker as the host prints it (the tests' cuts use it). */
export async function runTransact(
  session: RemoteSession,
  rules: DesiredRules,
  opts: TransactOptions,
  onStep?: (step: string) => void,
): Promise<TransactReport> {
  const res = await session.run(TRANSACT_SCRIPT, {
    args: transactArgs(rules, opts),
    stdin: transactStdin(rules),
    timeoutMs: 120_000,
    onStdout: onStep ? markerListener(onStep) : undefined,
  });
  return parseTransact(res);
}

/** Calls `onStep(name)` for every complete `@@fleet:NAME` line, however the output is chunked. */
export function markerListener(onStep: (step: string) => void): (chunk: string) => void {
  let partial = '';
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^@@fleet:(\w+)/.exec(line);
      if (m) onStep(m[1]!);
    }
  };
}

/**
 * Another writer changed the rules the restore rewrites between fleet's read and the swap:
 * nothing was swapped, the watchdog was disarmed. `lines` are that family's rules in the scope now.
 */
export class RaceError extends HostError {
  constructor(
    readonly family: 'v4' | 'v6',
    readonly lines: string[],
  ) {
    super(`the ${family} rules changed on the host between fleet's read and the swap`);
  }
}

export function parseTransact(res: ExecResult): TransactReport {
  const { sections, stamps } = parseStamped(res.stdout);
  const error = sections.get('error');
  if (error !== undefined) throw new HostError(error.trim() || 'the host refused the change', 'failed');
  const raced = sections.get('raced');
  if (raced !== undefined) {
    const [family, ...lines] = raced.split('\n');
    throw new RaceError(family === 'v6' ? 'v6' : 'v4', lines.filter(Boolean));
  }
  if (!sections.has('swapped')) {
    const last = stamps.at(-1)?.name ?? 'start';
    throw new HostError(`the transaction stopped after "${last}" (${describeExit(res)})`, 'failed');
  }
  return {
    backupPath: (sections.get('backup') ?? '').trim(),
    backupV4: sections.get('backup4') ?? '',
    backupV6: sections.get('backup6') ?? null,
    watchdog: (sections.get('armed') ?? '').trim(),
    steps: stepDurations(stamps.filter((s) => s.name === 'start' || TIMED_STEPS.has(s.name))),
  };
}

export function describeExit(res: ExecResult): string {
  if (res.timedOut) return 'timed out';
  const err = res.stderr.trim().split('\n').at(-1) ?? '';
  return `exit ${res.code ?? res.signal ?? '?'}${err ? `: ${err}` : ''}`;
}
