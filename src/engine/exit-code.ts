import { EXIT, type ExitCode } from '../errors.js';
import { BAD_STATUSES, type HostResult } from '../model/result.js';

/**
 * The run's exit code. A stopped run (some host never tried) is 3 even when hosts also failed:
 * "not every host was tried" is the more important news, and a max-fail stop always has failures.
 */
export function exitCodeFor(run: { results: HostResult[]; stopped: boolean }): ExitCode {
  if (run.stopped) return EXIT.stopped;
  if (run.results.some((r) => BAD_STATUSES.has(r.status))) return EXIT.hostFailed;
  return EXIT.ok;
}
