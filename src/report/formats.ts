/**
 * Every report format and its renderer, in one table keyed by the format union: adding a
 * format without a renderer does not compile. All commands (apply, ban, update, audit,
 * report show) render through renderReport().
 */
import { InputError } from '../errors.js';
import type { RunReport } from '../model/result.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-md.js';
import { nagiosExitCode, renderNagios } from './render-nagios.js';
import { renderProm } from './render-prom.js';
import { renderSummaryTable } from './summary-table.js';

export const REPORT_FORMATS = ['table', 'json', 'md', 'html', 'junit', 'nagios', 'prom'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Rendered {
  text: string;
  /** Set by formats whose consumer reads the exit code (nagios): the CLI should exit with it. */
  exitCode?: number;
}

interface FormatSpec {
  render: (report: RunReport) => Rendered;
  /** File extension for `--out` defaults and for inferring the format from a path. */
  ext: string;
  description: string;
}

const text =
  (render: (report: RunReport) => string) =>
  (report: RunReport): Rendered => ({ text: render(report) });

const FORMATS: { readonly [F in ReportFormat]: FormatSpec } = {
  table: { render: text(renderTable), ext: 'txt', description: 'the terminal summary table' },
  json: {
    render: text(renderJson),
    ext: 'json',
    description: 'the RunReport (schemas/report.v1.schema.json)',
  },
  md: { render: text(renderMarkdown), ext: 'md', description: 'Markdown' },
  html: { render: text(renderHtml), ext: 'html', description: 'a self-contained HTML page' },
  junit: { render: text(renderJunit), ext: 'xml', description: 'JUnit XML, a testcase per host' },
  nagios: {
    render: (r) => ({ text: renderNagios(r), exitCode: nagiosExitCode(r) }),
    ext: 'nagios.txt',
    description: 'Nagios/Icinga plugin output; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN',
  },
  prom: { render: text(renderProm), ext: 'prom', description: 'Prometheus textfile-collector metrics' },
};

function renderTable(report: RunReport): string {
  const stopReason = report.stopped ? (report.stopReason ?? 'stopped early') : undefined;
  return renderSummaryTable(report.hosts, { stopReason });
}

export function renderReport(report: RunReport, format: ReportFormat): Rendered {
  return FORMATS[format].render(report);
}

/** The file extension of a format (`junit` → `xml`), for files written beside a report. */
export function extensionFor(format: ReportFormat): string {
  return FORMATS[format].ext;
}

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The `--format` flag's value, checked; an unknown one is an InputError listing the formats. */
export function parseFormat(value: string): ReportFormat {
  if (isReportFormat(value)) return value;
  throw new InputError(
    { path: '--format', message: `unknown report format "${value}"` },
    `formats: ${REPORT_FORMATS.join(', ')}`,
  );
}

/** The format a file name implies (`x.html` → html, `x.xml` → junit), if any. */
export function formatForPath(path: string): ReportFormat | undefined {
  const lower = path.toLowerCase();
  const hits = REPORT_FORMATS.filter((f) => lower.endsWith(`.${FORMATS[f].ext}`));
  // The longest extension wins (`.nagios.txt` over `.txt`).
  return hits.sort((a, b) => FORMATS[b].ext.length - FORMATS[a].ext.length)[0];
}

export function formatExtension(format: ReportFormat): string {
  return FORMATS[format].ext;
}

/** One line per format, for `--help`. */
export function formatsHelp(): string {
  return REPORT_FORMATS.map((f) => `  ${f.padEnd(7)} ${FORMATS[f].description}`).join('\n');
}
