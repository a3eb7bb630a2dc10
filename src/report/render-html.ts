/**
 * A self-contained HTML report: one file, inline CSS, no script, nothing fetched (a Content
 * Security Policy says so to the browser). Summary counts, a table of hosts worst first with
 * status colours (cards on a phone), then each host's findings and diff in <details>.
 * Every value from the report goes through esc().
 */
import type { Finding } from '../model/finding.js';
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
  runHealth,
  runSeconds,
  SEVERITIES,
  severityCounts,
  sortedFindings,
  statusCounts,
} from './render-common.js';
import { HTML_STYLE } from './render-html-style.js';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderHtml(report: RunReport): string {
  const hosts = hostsWorstFirst(report);
  const title = `fleet ${report.command} ${report.selector}: ${runHealth(report).toUpperCase()}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="color-scheme" content="light">
<title>${esc(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<main>
${header(report)}
${cards(report)}
${hostTable(hosts)}
${hostDetails(hosts)}
<footer>fleet report, schemaVersion ${esc(String(report.schemaVersion))}.</footer>
</main>
</body>
</html>
`;
}

function header(report: RunReport): string {
  const health = runHealth(report);
  const stop = report.stopped
    ? `\n<p class="stopped"><b>Stopped early:</b> ${esc(report.stopReason ?? 'no reason given')}</p>`
    : '';
  return `<header>
<h1>fleet ${esc(report.command)} <code>${esc(report.selector)}</code> <span class="badge run-state h-${health}">${health.toUpperCase()}</span></h1>
<p class="meta">Started <time>${esc(report.startedAt)}</time> · finished <time>${esc(report.finishedAt)}</time> · ${esc(formatDuration(runSeconds(report) * 1000))}</p>${stop}
</header>`;
}

function cards(report: RunReport): string {
  const health = healthCounts(report);
  const findings = severityCounts(allFindings(report));
  const statuses = statusCounts(report);
  const card = (cls: string, n: number, label: string) =>
    `<div class="card ${cls}"><b>${n}</b><span>${esc(label)}</span></div>`;
  const statusText = HOST_STATUSES.filter((s) => statuses[s] > 0)
    .map((s) => `${statuses[s]} ${s}`)
    .join(' · ');
  const findingText = SEVERITIES.map((s) => `${findings[s]} ${s}`).join(' · ');
  return `<section class="cards" aria-label="summary">
${card('', report.hosts.length, 'hosts')}
${HEALTHS.map((h) => card(`h-${h}`, health[h], h)).join('\n')}
${card('', allFindings(report).length, 'findings')}
</section>
<p class="statuses">Statuses: ${esc(statusText || 'none')}<br>Findings: ${esc(findingText)}</p>`;
}

function hostTable(hosts: HostResult[]): string {
  if (hosts.length === 0) return '<p>No hosts in this report.</p>';
  const rows = hosts.map((h, i) => hostRow(h, i)).join('\n');
  return `<h2>Hosts</h2>
<table id="hosts">
<thead><tr><th>Host</th><th>Status</th><th>Health</th><th>Findings</th><th>Time</th><th>Detail</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function hostRow(host: HostResult, index: number): string {
  const health = hostHealth(host);
  const name = hasDetails(host) ? `<a href="#host-${index}">${esc(host.host)}</a>` : esc(host.host);
  const cells = [
    td('Host', name, 'nw'),
    td('Status', statusBadge(host)),
    td('Health', `<span class="badge health">${health.toUpperCase()}</span>`),
    td('Findings', esc(findingsSummary(findingsOf(host)))),
    td('Time', esc(formatDuration(host.durationMs)), 'nw'),
    td('Detail', esc(host.detail), 'detail'),
  ];
  return `<tr class="h-${health}">${cells.join('')}</tr>`;
}

/** A cell; `html` is already escaped. The label heads the cell when rows become cards (phone). */
function td(label: string, html: string, cls?: string): string {
  return `<td data-label="${label}"${cls ? ` class="${cls}"` : ''}>${html}</td>`;
}

function statusBadge(host: HostResult): string {
  return `<span class="badge s-${esc(host.status)}">${esc(host.status)}</span>`;
}

function hasDetails(host: HostResult): boolean {
  return findingsOf(host).length > 0 || Boolean(host.diff) || hostHealth(host) !== 'ok';
}

function hostDetails(hosts: HostResult[]): string {
  const blocks = hosts.map((h, i) => (hasDetails(h) ? hostBlock(h, i) : '')).filter((b) => b !== '');
  return blocks.length > 0 ? `<h2>Findings and diffs</h2>\n${blocks.join('\n')}` : '';
}

function hostBlock(host: HostResult, index: number): string {
  const health = hostHealth(host);
  const open = health === 'critical' ? ' open' : '';
  const findings = sortedFindings(host);
  const list = findings.length > 0 ? `\n<ul class="findings">${findings.map(findingItem).join('')}</ul>` : '';
  const diff = host.diff ? `\n${diffBlock(host.diff)}` : '';
  return `<details id="host-${index}" class="h-${health}"${open}>
<summary>${esc(host.host)} ${statusBadge(host)} <span class="badge health">${health.toUpperCase()}</span>${summaryNote(host)}</summary>
<p>${esc(host.detail)}</p>${list}${diff}
</details>`;
}

function summaryNote(host: HostResult): string {
  const parts = findingsOf(host).length > 0 ? [findingsSummary(findingsOf(host))] : [];
  if (host.diff) parts.push('diff');
  return parts.length > 0 ? ` ${esc(parts.join(' · '))}` : '';
}

function findingItem(f: Finding): string {
  const sev = SEVERITIES.includes(f.severity) ? f.severity : 'info';
  return `<li><span class="badge sev-${sev}">${esc(f.severity)}</span> <code>${esc(f.check)}</code> ${esc(f.message)}</li>`;
}

function diffBlock(diff: string): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  return `<pre class="diff">${lines.map(diffLine).join('')}</pre>`;
}

function diffLine(line: string): string {
  const cls = /^(\+\+\+|---) /.test(line)
    ? 'd-file'
    : line.startsWith('@@')
      ? 'd-hunk'
      : line.startsWith('+')
        ? 'd-add'
        : line.startsWith('-')
          ? 'd-del'
          : 'd-ctx';
  return `<span class="${cls}">${esc(line) || ' '}</span>`;
}

/**
 * Escapes text for HTML content and quoted attribute values; control characters HTML does not
 * allow become U+FFFD.
 */
export function esc(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
      .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, '\ufffd')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&#39;')
  );
}
