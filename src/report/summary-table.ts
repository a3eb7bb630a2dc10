/**
 * The summary every run ends with: one aligned row per host (host, status, duration, detail),
 * then a counts line such as `10 hosts: 7 changed, 2 unchanged, 1 rolled-back`.
 */
import type { Severity } from '../model/finding.js';
import { BAD_STATUSES, type HostResult, type HostStatus } from '../model/result.js';
import { noColour, type Paint, STATUS_TONE } from './colour.js';
import { clip, formatDuration, oneLine } from './summary-format.js';

const WITH_FINDINGS = 'with findings';
type CountKey = HostStatus | typeof WITH_FINDINGS;

/** Good news first, then bad, then hosts never tried. Keyed by the union: a new status must be placed. */
const COUNT_ORDER: Record<CountKey, number> = {
  changed: 0,
  unchanged: 1,
  ok: 2,
  [WITH_FINDINGS]: 3,
  'rolled-back': 4,
  failed: 5,
  unreachable: 6,
  skipped: 7,
};

export interface SummaryOptions {
  /** Printed under the counts when the run was stopped early. */
  stopReason?: string;
  /** Cut the detail column so rows fit this width (a terminal); absent: never cut. */
  width?: number;
  /** Colour (a terminal): the status cell, and the whole row of a host that failed. */
  paint?: Paint;
}

export function renderSummaryTable(results: readonly HostResult[], opts: SummaryOptions = {}): string {
  const rows = [['HOST', 'STATUS', 'DURATION', 'DETAIL'], ...results.map(summaryRow)];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const paint = opts.paint ?? noColour;
  const lines = rows.map((r, i) => {
    const line = alignRow(r, widths, opts.width);
    const tone = i === 0 ? undefined : STATUS_TONE[results[i - 1]!.status];
    if (!tone) return line;
    if (tone === 'bad') return paint(tone, line);
    const at = widths[0]! + 2;
    return line.slice(0, at) + paint(tone, line.slice(at, at + widths[1]!)) + line.slice(at + widths[1]!);
  });
  lines.push('', countsLine(results));
  if (opts.stopReason) lines.push(`stopped: ${opts.stopReason}`);
  lines.push(...hintLines(results));
  return `${lines.join('\n')}\n`;
}

function summaryRow(r: HostResult): string[] {
  const neverRan = r.status === 'skipped' && r.durationMs === 0;
  return [oneLine(r.host), r.status, neverRan ? '-' : formatDuration(r.durationMs), oneLine(r.detail)];
}

function alignRow(row: string[], widths: number[], total?: number): string {
  const lead = widths.map((w, i) => row[i]!.padEnd(w)).join('  ');
  const detail = total ? clip(row[3]!, total - lead.length - 2) : row[3]!;
  return `${lead}  ${detail}`.trimEnd();
}

/**
 * `10 hosts: 7 changed, 2 unchanged, 1 rolled-back` (statuses with no host are left out). A
 * host that did its work but has critical or warning findings (audit) counts as `with findings`,
 * and the findings are counted after: `8 hosts: 6 ok, 2 with findings; findings: 2 critical on
 * 1 host, 3 warning on 2 hosts` — an `ok` must not hide them.
 */
export function countsLine(results: readonly HostResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const key = hasFindings(r) && !BAD_STATUSES.has(r.status) ? WITH_FINDINGS : r.status;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts.entries()]
    .sort(([a], [b]) => COUNT_ORDER[a as CountKey] - COUNT_ORDER[b as CountKey])
    .map(([status, n]) => `${n} ${status}`);
  const noun = results.length === 1 ? 'host' : 'hosts';
  if (!parts.length) return '0 hosts';
  const findings = findingsPart(results);
  return `${results.length} ${noun}: ${parts.join(', ')}${findings ? `; findings: ${findings}` : ''}`;
}

const SHOWN: readonly Severity[] = ['critical', 'warning'];

function hasFindings(r: HostResult): boolean {
  return (r.findings ?? []).some((f) => SHOWN.includes(f.severity));
}

/** `2 critical on 1 host, 3 warning on 2 hosts` ('' when there is none). */
function findingsPart(results: readonly HostResult[]): string {
  return SHOWN.flatMap((sev) => {
    const per = results.map((r) => (r.findings ?? []).filter((f) => f.severity === sev).length);
    const total = per.reduce((a, b) => a + b, 0);
    const hosts = per.filter((n) => n > 0).length;
    return total ? [`${total} ${sev} on ${hosts} ${hosts === 1 ? 'host' : 'hosts'}`] : [];
  }).join(', ');
}

/** `hint (web-01, web-02): add ... to /etc/sudoers.d/fleet`: each distinct hint of a failure once. */
export function hintLines(results: readonly HostResult[]): string[] {
  const byHint = new Map<string, string[]>();
  for (const r of results) {
    const hint = r.data?.hint;
    if (typeof hint === 'string' && hint) byHint.set(hint, [...(byHint.get(hint) ?? []), r.host]);
  }
  return [...byHint].map(([hint, hosts]) => `hint (${oneLine(hostList(hosts))}): ${oneLine(hint)}`);
}

function hostList(hosts: string[]): string {
  return hosts.length <= 3
    ? hosts.join(', ')
    : `${hosts.slice(0, 3).join(', ')} and ${hosts.length - 3} more`;
}
