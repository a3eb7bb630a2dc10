/**
 * The one path every fan-out command takes: run the engine over the selected hosts with the
 * fan-out flags, show progress, write the summary and reports/<time>-<command>.json, render the
 * report as `--format`/`--out` ask, and return the exit code (the command's action sets
 * process.exitCode; with `--format nagios` it is the plugin's code). Ctrl-C once: stop
 * launching; twice: abort the hosts in flight too.
 */
import { join } from 'node:path';
import {
  exitCodeFor,
  type FleetOptions,
  type FleetRun,
  type HostTask,
  type Named,
  runFleet,
} from '../engine/index.js';
import type { ExitCode } from '../errors.js';
import type { HostResult, RunReport, ShardRecord } from '../model/result.js';
import { ansiColour, colourDiff, noColour, wantsColour } from '../report/colour.js';
import { formatJsonReport } from '../report/events-json.js';
import { buildRunReport, writeReportFile } from '../report/report-file.js';
import { renderSummaryTable } from '../report/summary-table.js';
import { terminalText } from '../report/terminal-text.js';
import { emitReport } from './commands/report.js';
import type { FanoutOptions, ReportOutput } from './fanout-options.js';
import { type OutStream, openProgress } from './output/progress.js';
import { chooseProgressMode, type ProgressMode } from './output/progress-mode.js';
import { writeBeside } from './report-beside.js';

/** Where SIGINT comes from (process, or an EventEmitter in tests). */
export interface SignalSource {
  on(signal: 'SIGINT', listener: () => void): unknown;
  off(signal: 'SIGINT', listener: () => void): unknown;
}

export interface CommandIO {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  signals: SignalSource;
}

export interface HostCommand<H extends Named> {
  /** Command name, used in the report and its file name (`apply`, `facts`). */
  command: string;
  selector: string;
  hosts: H[];
  task: HostTask<H>;
  opts: FanoutOptions;
  /** The fleet repository: reports go to <dir>/reports/. */
  dir: string;
  /** The part of the selection this run covers, when not all of it. */
  shard?: ShardRecord;
  io?: CommandIO;
  /** Text printed before the summary table (per-host output or diffs), from the results. */
  beforeSummary?: (results: readonly HostResult[]) => string;
  /** The command's own exit code from the report and the usual one (audit: 1 on findings). */
  exitCode?: (report: RunReport, usual: ExitCode) => ExitCode;
  /** Run each host elsewhere (worker threads: FleetOptions.runHost) instead of `task` here. */
  runHost?: FleetOptions<H>['runHost'];
  /** How many worker threads runHost uses. */
  workers?: number;
}

export function processIO(): CommandIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, signals: process };
}

export async function runHostCommand<H extends Named>(spec: HostCommand<H>): Promise<ExitCode> {
  const io = spec.io ?? processIO();
  const { run, mode } = await runWithProgress(
    spec.command,
    spec.hosts,
    spec.task,
    { ...engineOptions(spec.opts), runHost: spec.runHost, workers: spec.workers },
    io,
  );
  const { report, formatCode } = await finishRun(spec, run, io, mode === 'json');
  if (formatCode !== undefined) return formatCode as ExitCode; // nagios: 0-3
  const usual = exitCodeFor(run);
  return spec.exitCode ? spec.exitCode(report, usual) : usual;
}

/**
 * The engine over `hosts` with the progress display of this terminal (or plain/JSON lines) and
 * Ctrl-C handling; no report. runHostCommand's run, and apply's plan before its prompt.
 */
export async function runWithProgress<H extends Named>(
  label: string,
  hosts: H[],
  task: HostTask<H>,
  { json, ...engine }: FleetOptions<H> & { json?: boolean },
  io: CommandIO,
): Promise<{ run: FleetRun; mode: ProgressMode }> {
  const isTTY = Boolean(io.stdout.isTTY && io.stderr.isTTY);
  const mode = chooseProgressMode({ json: json === true, isTTY, env: io.env });
  const progress = await openProgress(mode, io, label);
  const interrupts = listenForInterrupts(io);
  try {
    const run = await runFleet(hosts, task, { ...engine, ...interrupts.signals, onEvent: progress.onEvent });
    return { run, mode };
  } finally {
    interrupts.dispose();
    await progress.close();
  }
}

function engineOptions(o: FanoutOptions) {
  return {
    json: o.json,
    concurrency: o.concurrency,
    canary: o.canary,
    batch: o.batch,
    maxFail: o.maxFail,
    timeoutMs: o.timeoutMs,
  };
}

/**
 * Report file, then the summary: on stdout, or on stderr when stdout carries JSON lines or the
 * `--format` rendering; then that rendering (to --out or stdout). Returns the report and the
 * exit code the format asks for (nagios), if any.
 */
async function finishRun<H extends Named>(spec: HostCommand<H>, run: FleetRun, io: CommandIO, json: boolean) {
  const report = buildRunReport({
    command: spec.command,
    selector: spec.selector,
    shard: spec.shard,
    ...run,
  });
  let where: string;
  try {
    const file = await writeReportFile(join(spec.dir, 'reports'), report);
    where = ['report:', file, ...(await writeBeside(file, report, spec.opts.formats))].join(' ');
  } catch (err) {
    where = `warning: the report file could not be written: ${(err as Error).message}`;
  }
  if (json) io.stdout.write(`${formatJsonReport(report)}\n`);
  const formatted = renderedToStdout(spec.opts.report);
  const human = json || formatted ? io.stderr : io.stdout;
  const paint = wantsColour(human, io.env) ? ansiColour : noColour;
  if (spec.beforeSummary) {
    const text = spec.beforeSummary(run.results);
    if (DIFF_COMMANDS.has(spec.command)) writeDiffs(human, io.env, text);
    else human.write(terminalText(text, { lines: true }));
  }
  const width = human.isTTY ? human.columns : undefined;
  human.write(renderSummaryTable(run.results, { stopReason: run.stopReason, width, paint }));
  io.stderr.write(`${where}\n`);
  const formatCode = await emitAsked(report, spec.opts.report, io);
  return { report, formatCode };
}

/** Rules diffs (and the lines around them) for a person: cleaned, coloured on a terminal. */
export function writeDiffs(stream: OutStream, env: CommandIO['env'], text: string): void {
  const paint = wantsColour(stream, env) ? ansiColour : noColour;
  stream.write(colourDiff(terminalText(text, { lines: true }), paint));
}

/** Commands whose text before the summary is rules diffs (coloured on a terminal). */
const DIFF_COMMANDS: ReadonlySet<string> = new Set(['plan', 'apply']);

/** True when `--format` puts something other than the summary table on stdout. */
function renderedToStdout(r: ReportOutput | undefined): boolean {
  return r !== undefined && r.format !== 'table' && (r.out === undefined || r.out === '-');
}

/** The `--format`/`--out` rendering (none for a plain table on stdout: the summary is it). */
async function emitAsked(report: RunReport, r: ReportOutput | undefined, io: CommandIO) {
  if (!r || (r.format === 'table' && (r.out === undefined || r.out === '-'))) return undefined;
  const rendered = await emitReport(report, r, io.stdout);
  if (r.out !== undefined && r.out !== '-') io.stderr.write(`${r.format} report: ${r.out}\n`);
  return rendered.exitCode;
}

/** First Ctrl-C: launch no more hosts. Second: abort the ones in flight. */
function listenForInterrupts(io: CommandIO) {
  const stop = new AbortController();
  const kill = new AbortController();
  const onSigint = () => {
    if (!stop.signal.aborted) {
      stop.abort();
      io.stderr.write(
        '\nfleet: stopping: no new hosts will start; hosts in flight finish (Ctrl-C again to abort them)\n',
      );
    } else {
      kill.abort();
      io.stderr.write('\nfleet: aborting the hosts in flight\n');
    }
  };
  io.signals.on('SIGINT', onSigint);
  return {
    signals: { signal: stop.signal, killSignal: kill.signal },
    dispose: () => io.signals.off('SIGINT', onSigint),
  };
}
