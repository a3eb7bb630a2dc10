/**
 * Markdown (CommonMark + GitHub tables): a heading with the run's health, summary counts, a
 * table of hosts worst first, then a section per host that has findings or a diff. Every value
 * from the report is escaped; diffs go in fenced code blocks longer than any backtick run inside.
 */
import type { HostResult, RunReport } from '../model/result.js';
import {
  allFindings,
  findingsOf,
  findingsSummary,
  formatDuration,
  HEALTHS,
  HOST_STATUSES,
  healthCounts,
  hostHealth,
  hostsWorstFirst,
  oneLine,
  runHealth,
  runSeconds,
  sortedFindings,
  statusCounts,
} from './render-common.js';

export function renderMarkdown(report: RunReport): string {
  const hosts = hostsWorstFirst(report);
  const sections = [header(report), summary(report), hostTable(hosts), ...hosts.map(hostSection)];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function header(report: RunReport): string {
  const title = `# fleet ${md(report.command)} ${md(report.selector)}: ${runHealth(report).toUpperCase()}`;
  const times = `Started ${md(report.startedAt)}, finished ${md(report.finishedAt)} (${formatDuration(runSeconds(report) * 1000)}).`;
  const stop = report.stopped ? `\n\n**Stopped early:** ${md(report.stopReason ?? 'no reason given')}` : '';
  return `${title}\n\n${times}${stop}`;
}

function summary(report: RunReport): string {
  const health = healthCounts(report);
  const status = statusCounts(report);
  const findings = allFindings(report);
  const healthLine = HEALTHS.map((h) => `${health[h]} ${h}`).join(' · ');
  const statusLine = HOST_STATUSES.filter((s) => status[s] > 0)
    .map((s) => `${status[s]} ${s}`)
    .join(' · ');
  return [
    `- **Hosts:** ${report.hosts.length} (${healthLine})`,
    `- **Statuses:** ${statusLine || 'none'}`,
    `- **Findings:** ${findingsSummary(findings)}`,
  ].join('\n');
}

function hostTable(hosts: HostResult[]): string {
  if (hosts.length === 0) return '_No hosts in this report._';
  const head = '| Host | Health | Status | Findings | Time | Detail |\n| --- | --- | --- | --- | --- | --- |';
  const rows = hosts.map((h) =>
    row([
      h.host,
      hostHealth(h).toUpperCase(),
      h.status,
      findingsSummary(findingsOf(h)),
      formatDuration(h.durationMs),
      h.detail,
    ]),
  );
  return [head, ...rows].join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.map((c) => md(oneLine(c))).join(' | ')} |`;
}

function hostSection(host: HostResult): string {
  if (findingsOf(host).length === 0 && !host.diff) return '';
  const lines = [
    `## ${md(host.host)}: ${host.status} (${hostHealth(host).toUpperCase()})`,
    '',
    md(host.detail),
  ];
  const findings = sortedFindings(host).map(
    (f) => `- **${f.severity}** ${code(f.check)}: ${md(oneLine(f.message))}`,
  );
  if (findings.length > 0) lines.push('', ...findings);
  if (host.diff) lines.push('', fenced(host.diff, 'diff'));
  return lines.join('\n');
}

/**
 * Inline text, escaped so that Markdown and HTML read it as plain text: inline punctuation
 * (backslash ` * _ [ ] < > & | ~) anywhere, and what could start a block (#, +, -, =, >, `1.`) at the
 * start. CommonMark allows a backslash before any ASCII punctuation. Line breaks become spaces.
 */
export function md(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<>&|~]/g, (c) => `\\${c}`)
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** An inline code span whose fence is longer than any backtick run inside. */
function code(text: string): string {
  const t = oneLine(text);
  const fence = '`'.repeat(longestRun(t, '`') + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

export function fenced(text: string, lang: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${fence}${lang}\n${body}${fence}`;
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}
