/**
 * The summary every run ends with: one aligned row per host (host, status, duration, detail),
 * then a counts line such as `10 hosts: 7 changed, 2 unchanged, 1 rolled-back`.
 */
import type { HostResult, HostStatus } from '../model/result.js';
import { clip, formatDuration, oneLine } from './summary-format.js';

/** Good news first, then bad, then hosts never tried. Keyed by the union: a new status must be placed. */
const COUNT_ORDER: Record<HostStatus, number> = {
  changed: 0,
  unchanged: 1,
  ok: 2,
  'rolled-back': 3,
  failed: 4,
  unreachable: 5,
  skipped: 6,
};

export interface SummaryOptions {
  /** Printed under the counts when the run was stopped early. */
  stopReason?: string;
  /** Cut the detail column so rows fit this width (a terminal); absent: never cut. */
  width?: number;
}

export function renderSummaryTable(results: readonly HostResult[], opts: SummaryOptions = {}): string {
  const rows = [['HOST', 'STATUS', 'DURATION', 'DETAIL'], ...results.map(summaryRow)];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => alignRow(r, widths, opts.width));
  lines.push('', countsLine(results));
  if (opts.stopReason) lines.push(`stopped: ${opts.stopReason}`);
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

/** `10 hosts: 7 changed, 2 unchanged, 1 rolled-back` (statuses with no host are left out). */
export function countsLine(results: readonly HostResult[]): string {
  const counts = new Map<HostStatus, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const parts = [...counts.entries()]
    .sort(([a], [b]) => COUNT_ORDER[a] - COUNT_ORDER[b])
    .map(([status, n]) => `${n} ${status}`);
  const noun = results.length === 1 ? 'host' : 'hosts';
  return parts.length ? `${results.length} ${noun}: ${parts.join(', ')}` : `0 hosts`;
}
