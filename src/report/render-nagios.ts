/**
 * Nagios / Icinga plugin output: one status line with performance data, then one long-output
 * line per host that is not OK (worst first) with its findings indented under it.
 *
 *   FLEET AUDIT CRITICAL - 3 of 10 hosts critical, 1 warning | hosts=10;;;0 ok=6;;;0 ...
 *   CRITICAL web-03: failed - ssh: connection refused
 *   CRITICAL web-04: 1 critical, 2 warning - 3 findings
 *     critical policy-input-drop: INPUT policy is ACCEPT
 *
 * The exit code is the plugin contract: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 */
import { BAD_STATUSES, type HostResult, type RunReport } from '../model/result.js';
import {
  allFindings,
  findingsSummary,
  HEALTHS,
  type Health,
  healthCounts,
  hostHealth,
  hostsWorstFirst,
  oneLine,
  runHealth,
  runSeconds,
  SEVERITIES,
  severityCounts,
  sortedFindings,
} from './render-common.js';

export type NagiosCode = 0 | 1 | 2 | 3;

export const NAGIOS_CODES: Readonly<Record<Health, NagiosCode>> = {
  ok: 0,
  warning: 1,
  critical: 2,
  unknown: 3,
};

/** The plugin's exit code for a report (see runHealth for the rules). */
export function nagiosExitCode(report: RunReport): NagiosCode {
  return NAGIOS_CODES[runHealth(report)];
}

export function renderNagios(report: RunReport): string {
  const lines = [`${statusLine(report)} | ${perfdata(report)}`];
  for (const host of hostsWorstFirst(report)) lines.push(...hostLines(host));
  return `${lines.join('\n')}\n`;
}

function statusLine(report: RunReport): string {
  const command = report.command.toUpperCase().replace(/[^A-Z0-9]+/g, '-') || 'RUN';
  return `FLEET ${command} ${runHealth(report).toUpperCase()} - ${summary(report)}`;
}

function summary(report: RunReport): string {
  const total = report.hosts.length;
  if (total === 0) return 'no hosts in the report';
  const counts = healthCounts(report);
  const notOk = HEALTHS.filter((h) => h !== 'ok' && counts[h] > 0).map((h) => `${counts[h]} ${h}`);
  // "3 of 10 hosts critical, 1 warning"
  const text =
    notOk.length === 0
      ? `all ${total} hosts ok`
      : notOk.map((part, i) => (i === 0 ? part.replace(' ', ` of ${total} hosts `) : part)).join(', ');
  return report.stopped
    ? `${text}; run stopped early: ${clean(report.stopReason ?? 'no reason given')}`
    : text;
}

/** `label=value[UOM];warn;crit;min;max`, labels without quotes or `=`. */
function perfdata(report: RunReport): string {
  const health = healthCounts(report);
  const findings = severityCounts(allFindings(report));
  const items: [string, string][] = [
    ['hosts', String(report.hosts.length)],
    ...HEALTHS.map((h): [string, string] => [h, String(health[h])]),
    ...SEVERITIES.map((s): [string, string] => [`findings_${s}`, String(findings[s])]),
    ['duration', `${runSeconds(report).toFixed(3)}s`],
  ];
  return items.map(([label, value]) => `${label}=${value};;;0`).join(' ');
}

function hostLines(host: HostResult): string[] {
  const health = hostHealth(host);
  if (health === 'ok') return [];
  const shown = sortedFindings(host).filter((f) => f.severity !== 'info');
  // What makes it not OK: its status when that is bad or unknown, else its findings.
  const why = hostHealthFromStatus(host) ? host.status : findingsSummary(shown);
  const head = `${health.toUpperCase()} ${clean(host.host)}: ${why} - ${clean(host.detail)}`;
  return [head, ...shown.map((f) => `  ${f.severity} ${clean(f.check)}: ${clean(f.message)}`)];
}

/** True when the status alone makes a host not OK (failed, unreachable, rolled back, skipped). */
function hostHealthFromStatus(host: HostResult): boolean {
  return BAD_STATUSES.has(host.status) || host.status === 'skipped';
}

/** `|` starts performance data on any line of plugin output: text must not contain it. */
function clean(text: string): string {
  return oneLine(text).replaceAll('|', '/');
}
