/** Which progress display a run gets: listr2 on a terminal, plain lines in logs, JSON lines when asked. */
export type ProgressMode = 'tty' | 'plain' | 'json';

export interface ModeInputs {
  json: boolean;
  /** Whether both stdout and stderr are terminals (listr2 draws only when stdout is one). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

const truthy = (v: string | undefined) =>
  v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

/**
 * `--json` wins; FLEET_PROGRESS=plain|tty forces a mode; otherwise a terminal gets `tty` unless it
 * is dumb or the run is in CI (CI=true: redrawn lines make unreadable logs).
 */
export function chooseProgressMode(p: ModeInputs): ProgressMode {
  if (p.json) return 'json';
  const forced = p.env.FLEET_PROGRESS;
  if (forced === 'plain' || forced === 'tty') return forced;
  if (!p.isTTY || p.env.TERM === 'dumb' || truthy(p.env.CI)) return 'plain';
  return 'tty';
}
