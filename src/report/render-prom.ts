/**
 * A file for node_exporter's textfile collector (text exposition format 0.0.4): fleet and
 * per-host gauges, every sample labelled with the run's `command` so the files of several
 * commands (fleet-audit.prom, fleet-apply.prom) can sit side by side in the collector's folder.
 * No sample timestamps (the collector refuses them). Writing the file atomically (temp file +
 * rename in the same folder) is the caller's job.
 */
import type { RunReport } from '../model/result.js';
import {
  allFindings,
  findingsOf,
  HOST_STATUSES,
  hostHealth,
  runHealth,
  runSeconds,
  SEVERITIES,
  severityCounts,
  statusCounts,
} from './render-common.js';
import { NAGIOS_CODES } from './render-nagios.js';

type Labels = Record<string, string>;
interface Sample {
  labels: Labels;
  value: number;
}
interface Family {
  name: string;
  help: string;
  samples: Sample[];
}

export function renderProm(report: RunReport): string {
  return `${families(report).map(renderFamily).join('\n')}\n`;
}

function families(report: RunReport): Family[] {
  const c = { command: report.command };
  return [...runFamilies(report, c), ...hostFamilies(report, c)];
}

function runFamilies(report: RunReport, c: Labels): Family[] {
  const statuses = statusCounts(report);
  const findings = severityCounts(allFindings(report));
  const finished = Date.parse(report.finishedAt) / 1000;
  return [
    family('fleet_run_info', 'The run: its selector as a label; always 1.', [
      { labels: { ...c, selector: report.selector }, value: 1 },
    ]),
    family('fleet_run_timestamp_seconds', 'When the run finished, in seconds since the Unix epoch.', [
      { labels: c, value: Number.isFinite(finished) ? finished : 0 },
    ]),
    family('fleet_run_duration_seconds', 'Wall time of the run in seconds.', [
      { labels: c, value: runSeconds(report) },
    ]),
    family('fleet_run_stopped', '1 if the run was stopped before every host was tried, else 0.', [
      { labels: c, value: report.stopped ? 1 : 0 },
    ]),
    family('fleet_run_state', 'Health of the run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios).', [
      { labels: c, value: NAGIOS_CODES[runHealth(report)] },
    ]),
    family('fleet_hosts_total', 'Hosts in the run.', [{ labels: c, value: report.hosts.length }]),
    family(
      'fleet_hosts',
      'Hosts in the run by status.',
      HOST_STATUSES.map((status) => ({ labels: { ...c, status }, value: statuses[status] })),
    ),
    family(
      'fleet_findings',
      'Findings across the fleet by severity.',
      SEVERITIES.map((severity) => ({ labels: { ...c, severity }, value: findings[severity] })),
    ),
  ];
}

function hostFamilies(report: RunReport, c: Labels): Family[] {
  const hosts = report.hosts;
  return [
    family(
      'fleet_host_status',
      "The host's status in the run: one sample per host, with value 1.",
      hosts.map((h) => ({ labels: { ...c, host: h.host, status: h.status }, value: 1 })),
    ),
    family(
      'fleet_host_state',
      'Health of the host: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios).',
      hosts.map((h) => ({ labels: { ...c, host: h.host }, value: NAGIOS_CODES[hostHealth(h)] })),
    ),
    family(
      'fleet_host_findings',
      "The host's findings by severity.",
      hosts.flatMap((h) => {
        const counts = severityCounts(findingsOf(h));
        return SEVERITIES.map((severity) => ({
          labels: { ...c, host: h.host, severity },
          value: counts[severity],
        }));
      }),
    ),
    family(
      'fleet_host_duration_seconds',
      'Time spent on the host in seconds.',
      hosts.map((h) => ({ labels: { ...c, host: h.host }, value: h.durationMs / 1000 })),
    ),
  ];
}

function family(name: string, help: string, samples: Sample[]): Family {
  return { name, help, samples };
}

function renderFamily(f: Family): string {
  const head = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} gauge`];
  return [
    ...head,
    ...f.samples.map((s) => `${f.name}${renderLabels(s.labels)} ${formatValue(s.value)}`),
  ].join('\n');
}

function renderLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

/** Label values: backslash, double quote and line feed are escaped (exposition format). */
export function escapeLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** HELP text: backslash and line feed are escaped. */
function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

/** Go's ParseFloat reads what JavaScript prints; non-finite values use Prometheus' spelling. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
