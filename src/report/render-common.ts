/**
 * What every renderer agrees on: the order of statuses and severities, counting, and the
 * health of a host and of a run (the Nagios scale, which JUnit, HTML and Prometheus reuse).
 */
import type { Finding, Severity } from '../model/finding.js';
import { BAD_STATUSES, type HostResult, type HostStatus, type RunReport } from '../model/result.js';
import { terminalText } from './terminal-text.js';

/** Health on the Nagios scale. */
export type Health = 'ok' | 'warning' | 'critical' | 'unknown';

// Records keyed by the union: a new status or severity without an entry here does not compile.
const STATUS_RANK: Record<HostStatus, number> = {
  'rolled-back': 0,
  failed: 1,
  unreachable: 2,
  skipped: 3,
  changed: 4,
  ok: 5,
  unchanged: 6,
};
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
/** Worst first, as in Icinga's "worst state" (UNKNOWN is worse than WARNING). */
const HEALTH_RANK: Record<Health, number> = { critical: 0, unknown: 1, warning: 2, ok: 3 };

const byRank = <K extends string>(rank: Record<K, number>): K[] =>
  (Object.keys(rank) as K[]).sort((a, b) => rank[a] - rank[b]);

/** Every host status, worst first. */
export const HOST_STATUSES: readonly HostStatus[] = byRank(STATUS_RANK);
/** Every severity, worst first. */
export const SEVERITIES: readonly Severity[] = byRank(SEVERITY_RANK);
/** Every health, worst first. */
export const HEALTHS: readonly Health[] = byRank(HEALTH_RANK);

export function findingsOf(host: HostResult): Finding[] {
  return host.findings ?? [];
}

/** Findings worst first, then by check name; the input order breaks ties. */
export function sortedFindings(host: HostResult): Finding[] {
  return [...findingsOf(host)].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || cmp(a.check, b.check),
  );
}

export function countBy<K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) counts[v] += 1;
  return counts;
}

export function statusCounts(report: RunReport): Record<HostStatus, number> {
  return countBy(
    HOST_STATUSES,
    report.hosts.map((h) => h.status),
  );
}

export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  return countBy(
    SEVERITIES,
    findings.map((f) => f.severity),
  );
}

export function allFindings(report: RunReport): Finding[] {
  return report.hosts.flatMap(findingsOf);
}

/**
 * A host is CRITICAL when its status is bad (failed, unreachable, rolled-back) or it has a
 * critical finding; UNKNOWN when it was skipped (not checked); WARNING with a warning finding;
 * else OK. Info findings never change health.
 */
export function hostHealth(host: HostResult): Health {
  const severities = new Set(findingsOf(host).map((f) => f.severity));
  if (BAD_STATUSES.has(host.status) || severities.has('critical')) return 'critical';
  if (host.status === 'skipped') return 'unknown';
  return severities.has('warning') ? 'warning' : 'ok';
}

/**
 * The run is CRITICAL if any host is; else UNKNOWN if it has no hosts, was stopped before
 * every host was tried, or a host is UNKNOWN; else WARNING if any host is; else OK.
 */
export function runHealth(report: RunReport): Health {
  const healths = new Set(report.hosts.map(hostHealth));
  if (healths.has('critical')) return 'critical';
  if (report.hosts.length === 0 || report.stopped || healths.has('unknown')) return 'unknown';
  return healths.has('warning') ? 'warning' : 'ok';
}

export function healthCounts(report: RunReport): Record<Health, number> {
  return countBy(HEALTHS, report.hosts.map(hostHealth));
}

/** Hosts worst first (health, then status), then by name: the order a reader wants. */
export function hostsWorstFirst(report: RunReport): HostResult[] {
  return [...report.hosts].sort(
    (a, b) =>
      HEALTH_RANK[hostHealth(a)] - HEALTH_RANK[hostHealth(b)] ||
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      cmp(a.host, b.host),
  );
}

/** Wall time of the run in seconds (0 when the times are missing or out of order). */
export function runSeconds(report: RunReport): number {
  const ms = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0;
}

/** `1.234 s`, `850 ms`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** `2 critical, 1 warning` (severities with a zero count left out; `none` when empty). */
export function findingsSummary(findings: readonly Finding[]): string {
  const counts = severityCounts(findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** Code-point order, independent of the locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One line: escape sequences and control characters go, line breaks become spaces. */
export function oneLine(text: string): string {
  return terminalText(text).trim();
}
