/**
 * The flags every fan-out command shares (--concurrency, --canary, --batch, --max-fail, --timeout,
 * --json, --limit, --format, --out) and their validation: every bad value is reported at once,
 * as an InputError.
 */
import type { Command } from 'commander';
import { type Amount, DEFAULT_CONCURRENCY, parseShard, type Shard } from '../engine/index.js';
import { InputError, type Problem } from '../errors.js';
import { formatForPath, isReportFormat, REPORT_FORMATS, type ReportFormat } from '../report/formats.js';
import { addReportOutputOptions } from './commands/report.js';

export interface FanoutOptions {
  concurrency: number;
  canary: number;
  batch?: Amount;
  maxFail?: Amount;
  /** Per-host time limit; undefined means none (`--timeout 0`). */
  timeoutMs?: number;
  json: boolean;
  /** A further selector the host list must also match (handed to selectHosts). */
  limit?: string;
  /** `--format`/`--out`: render the run's report in this format, to this file or stdout. */
  report?: ReportOutput;
  /** `--formats` (or fleet.yaml): also write the report in these formats beside its JSON file. */
  formats?: ReportFormat[];
  /** `--shard I/N`: run only shard I of N of the selection (docs/scale.md). */
  shard?: Shard;
  /** `--canary-only`: run just the selection's canary hosts; `--skip-canary`: all but them. */
  canaryOnly?: boolean;
  skipCanary?: boolean;
  /** `--workers N`: worker threads for the hosts; undefined is `auto` (docs/scale.md). */
  workers?: number;
}

export interface ReportOutput {
  format: ReportFormat;
  /** Undefined or `-`: stdout. */
  out?: string;
}

/** Per-command defaults: apply canaries 1 host and allows more time than facts. */
export interface FanoutDefaults {
  canary?: number;
  timeout?: string;
}

export const DEFAULT_TIMEOUT = '5m';

export function addFanoutOptions(cmd: Command, defaults: FanoutDefaults = {}): Command {
  addReportOutputOptions(cmd);
  return cmd
    .option('--concurrency <n>', 'hosts in flight at once', String(DEFAULT_CONCURRENCY))
    .option(
      '--workers <n|auto>',
      'threads running the hosts (auto: one per 200 hosts, at most one per core; 1: all in this thread)',
      'auto',
    )
    .option('--canary <n>', 'run N hosts first; if any fails, start no more', String(defaults.canary ?? 0))
    .option('--batch <n|p%>', 'after the canary, launch hosts in waves of N (or P% of the selection)')
    .option('--max-fail <n|p%>', 'stop launching once N hosts (or P% of the selection) failed')
    .option(
      '--timeout <duration>',
      'time limit per host (90s, 5m, 1h; 0 for none)',
      defaults.timeout ?? DEFAULT_TIMEOUT,
    )
    .option('--json', 'print JSON lines (one event per line, then the report) instead of progress')
    .option(
      '--formats <list>',
      'also write the report in these formats beside reports/<time>-<command>.json (html,junit,...)',
    )
    .option('--limit <selector>', 'further restrict the selection to hosts also matching this selector')
    .option('--shard <i/n>', 'run only shard I of N of the selection (I from 0; stable split by host name)')
    .option('--canary-only', "run only the selection's canary hosts (the first --canary N), then stop")
    .option('--skip-canary', "run all but the selection's canary hosts (after a --canary-only run)");
}

/** Validate what commander parsed (`cmd.opts()`); throws one InputError listing every bad flag. */
export function readFanoutOptions(raw: Record<string, unknown>): FanoutOptions {
  const problems: Problem[] = [];
  const check = <T>(flag: string, value: unknown, parse: (v: string) => T): T | undefined => {
    if (value === undefined) return undefined;
    try {
      return parse(String(value));
    } catch (err) {
      problems.push({ message: `--${flag} ${JSON.stringify(String(value))}: ${(err as Error).message}` });
      return undefined;
    }
  };
  const opts: FanoutOptions = {
    concurrency: check('concurrency', raw.concurrency, (v) => parseCount(v, 1)) ?? DEFAULT_CONCURRENCY,
    canary: check('canary', raw.canary, (v) => parseCount(v, 0)) ?? 0,
    batch: check('batch', raw.batch, parseAmount),
    maxFail: check('max-fail', raw.maxFail, parseAmount),
    timeoutMs: check('timeout', raw.timeout, parseDuration) || undefined,
    json: raw.json === true,
    limit: typeof raw.limit === 'string' ? raw.limit : undefined,
    shard: check('shard', raw.shard, parseShard),
    workers: check('workers', raw.workers, parseWorkers),
    ...(raw.canaryOnly === true && { canaryOnly: true }),
    ...(raw.skipCanary === true && { skipCanary: true }),
  };
  checkParts(opts, problems);
  const formats = check('formats', raw.formats, parseFormats);
  if (formats) opts.formats = formats;
  const report = readReportOutput(raw, problems);
  if (report) opts.report = report;
  if (report && opts.json && toStdout(report) && report.format !== 'table')
    problems.push({ message: '--json and --format both write to stdout: add --out FILE for the report' });
  if (problems.length) throw new InputError(problems);
  return opts;
}

/** `--canary-only` and `--skip-canary` need a canary, and exclude each other (and a shard of the canary). */
function checkParts(o: FanoutOptions, problems: Problem[]): void {
  if (o.canaryOnly && o.skipCanary)
    problems.push({ message: '--canary-only and --skip-canary exclude each other: run them as two steps' });
  if ((o.canaryOnly || o.skipCanary) && o.canary === 0)
    problems.push({
      message: `--${o.canaryOnly ? 'canary-only' : 'skip-canary'} needs --canary N (the canary hosts are the first N of the selection)`,
    });
  if (o.canaryOnly && o.shard)
    problems.push({ message: '--canary-only runs the canary hosts in one process: drop --shard' });
}

/** `--format`/`--out` (undefined when neither is given); the format defaults from --out's extension. */
function readReportOutput(raw: Record<string, unknown>, problems: Problem[]): ReportOutput | undefined {
  const out = typeof raw.out === 'string' ? raw.out : undefined;
  if (typeof raw.format !== 'string')
    return out === undefined ? undefined : { format: formatForPath(out) ?? 'table', out };
  if (isReportFormat(raw.format)) return { format: raw.format, out };
  problems.push({
    message: `--format ${JSON.stringify(raw.format)}: expected one of ${REPORT_FORMATS.join(', ')}`,
  });
  return undefined;
}

function toStdout(r: ReportOutput): boolean {
  return r.out === undefined || r.out === '-';
}

/** `html,junit`: report formats, each known. */
export function parseFormats(text: string): ReportFormat[] {
  const list = text.split(',').map((f) => f.trim());
  const bad = list.find((f) => !isReportFormat(f));
  if (bad !== undefined)
    throw new Error(`unknown report format "${bad}"; formats: ${REPORT_FORMATS.join(', ')}`);
  return list as ReportFormat[];
}

/** `auto` (undefined: one per core, docs/scale.md) or a whole number of at least 1. */
export function parseWorkers(text: string): number | undefined {
  return text.trim() === 'auto' ? undefined : parseCount(text, 1);
}

/** A whole number of at least `min`. */
export function parseCount(text: string, min: number): number {
  if (!/^\d+$/.test(text.trim())) throw new Error('expected a whole number');
  const n = Number(text);
  if (n < min) throw new Error(`must be at least ${min}`);
  return n;
}

/** `N` (at least 1) or `P%` (more than 0, at most 100). */
export function parseAmount(text: string): Amount {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (!pct) return { count: parseCount(t, 1) };
  const percent = Number(pct[1]);
  if (percent <= 0 || percent > 100) throw new Error('a percentage must be more than 0% and at most 100%');
  return { percent };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `90` or `90s`, `5m`, `1h`, `1.5m` → milliseconds; `0` → 0. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error('expected a duration such as 90s, 5m or 1h');
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']!);
}
