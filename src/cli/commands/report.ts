/**
 * `fleet report show FILE` re-renders a saved JSON report in any format;
 * `fleet report diff A B` says what changed between two reports;
 * `fleet report merge FILES|DIRS` joins the reports of a sharded run into one.
 * Also the `--format`/`--out` plumbing every run command uses (addReportOutputOptions, emitReport).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { exitCodeFor } from '../../engine/index.js';
import { type ExitCode, FleetError, InputError } from '../../errors.js';
import type { RunReport } from '../../model/result.js';
import {
  formatForPath,
  formatsHelp,
  parseFormat,
  REPORT_FORMATS,
  type Rendered,
  renderReport,
} from '../../report/formats.js';
import { mergeReports } from '../../report/merge.js';
import { DIFF_FORMATS, type DiffFormat, isDiffFormat, renderDiff } from '../../report/render-diff.js';
import { diffReports, isEmptyDiff } from '../../report/report-diff.js';
import { auditExitCode } from './audit.js';

export interface ReportOutputOptions {
  format?: string;
  out?: string;
}

/** Adds `--format` and `--out` to a command that ends with a RunReport. */
export function addReportOutputOptions(cmd: Command): Command {
  return cmd
    .option(
      '--format <format>',
      `report format: ${REPORT_FORMATS.join(', ')} (default: from --out, else table)`,
    )
    .option('--out <path>', 'write the report to this file (atomically) instead of stdout')
    .addHelpText('after', `\nReport formats:\n${formatsHelp()}\n`);
}

/**
 * Renders the report as asked and writes it to --out or stdout. Returns what was rendered; its
 * exitCode (nagios) is the exit code the command should end with.
 */
export async function emitReport(
  report: RunReport,
  opts: ReportOutputOptions,
  stdout: TextSink = process.stdout,
): Promise<Rendered> {
  const format = opts.format ? parseFormat(opts.format) : (opts.out && formatForPath(opts.out)) || 'table';
  const rendered = renderReport(report, format);
  await emitText(rendered.text, opts.out, stdout);
  return rendered;
}

/** Where stdout text goes (process.stdout, or a test's buffer). */
export interface TextSink {
  write(text: string): unknown;
}

async function emitText(
  text: string,
  out: string | undefined,
  stdout: TextSink = process.stdout,
): Promise<void> {
  if (out === undefined || out === '-') stdout.write(text);
  else await writeAtomic(out, text);
}

/** Write to a temporary file beside `path`, then rename: readers never see half a file. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, text, { flag: 'wx', mode: 0o644 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new FleetError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('show or compare saved reports');
  addReportOutputOptions(
    report.command('show <file>').description('re-render a saved JSON report (reports/*.json) in any format'),
  ).action(showAction);
  report
    .command('diff <before> <after>')
    .description('what changed between two reports: hosts added or removed, statuses, findings')
    .option('--format <format>', `diff format: ${DIFF_FORMATS.join(', ')}`, 'text')
    .option('--out <path>', 'write the diff to this file (atomically) instead of stdout')
    .option('--exit-code', 'exit 1 when anything changed, 0 when nothing did')
    .action(diffAction);
  addReportOutputOptions(
    report
      .command('merge <paths...>')
      .description(
        'join the reports of one sharded run (--shard, --canary-only, --skip-canary; files or folders of them) into one, with the exit code of one unsharded run',
      ),
  ).action(mergeAction);
}

async function showAction(file: string, opts: ReportOutputOptions): Promise<void> {
  const rendered = await emitReport(await loadReport(file), opts);
  if (rendered.exitCode !== undefined) process.exitCode = rendered.exitCode;
}

interface DiffOptions {
  format: string;
  out?: string;
  exitCode?: boolean;
}

async function diffAction(before: string, after: string, opts: DiffOptions): Promise<void> {
  const format = checkDiffFormat(opts.format);
  const [a, b] = await Promise.all([loadReport(before), loadReport(after)]);
  const diff = diffReports(a, b);
  await emitText(renderDiff(diff, format), opts.out);
  if (opts.exitCode && !isEmptyDiff(diff)) process.exitCode = 1;
}

async function mergeAction(paths: string[], opts: ReportOutputOptions): Promise<void> {
  const files = (await Promise.all(paths.map(jsonFilesAt))).flat();
  const parts = await Promise.all(files.map(async (file) => ({ file, report: await loadReport(file) })));
  const { report, missing } = mergeReports(parts);
  for (const m of missing) process.stderr.write(`fleet: report merge: missing ${m}: reported as not run\n`);
  const rendered = await emitReport(report, opts);
  process.exitCode = rendered.exitCode ?? runExitCode(report);
}

/** The exit code one unsharded run of the report's command would have ended with. */
export function runExitCode(report: RunReport): ExitCode {
  const usual = exitCodeFor({ results: report.hosts, stopped: report.stopped });
  return report.command === 'audit' ? auditExitCode(report, usual) : usual;
}

/** A file, or the *.json files of a folder (sorted). */
async function jsonFilesAt(path: string): Promise<string[]> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) return [path];
  const names = (await readdir(path)).filter((n) => n.endsWith('.json')).sort();
  if (!names.length) throw new InputError({ message: `${path}: no *.json reports in this folder` });
  return names.map((n) => join(path, n));
}

function checkDiffFormat(value: string): DiffFormat {
  if (isDiffFormat(value)) return value;
  throw new InputError(
    { path: '--format', message: `unknown diff format "${value}"` },
    `formats: ${DIFF_FORMATS.join(', ')}`,
  );
}

/**
 * Loaded only here: the report schema needs zod, ~120 ms of start-up that every other command
 * (a ban during an incident, too) would pay for nothing (bench/README.md).
 */
async function loadReport(file: string): Promise<RunReport> {
  const { loadReport: load } = await import('../../report/load-report.js');
  return load(file);
}
