/**
 * An UpdateResult as one host's line in the run report: status, a detail a person reads, and the
 * result itself as data. Pure.
 *   check:   ok, "2 pending: a 1.0 → 1.1, b 2 → 3"
 *   upgrade: changed, "upgraded 1: a 1.0 → 1.1; reboot required"  |  unchanged, "nothing to do"
 *   failure: failed, "apt update failed: E: ..."
 */
import type { HostStatus } from '../../model/result.js';
import type { PackageChange, UpdateResult } from './types.js';

export interface UpdateSummary {
  status: HostStatus;
  detail: string;
  data: Record<string, unknown>;
}

const SHOWN = 3;

export function summarizeUpdate(r: UpdateResult): UpdateSummary {
  const data = { update: r };
  if (!r.ok) return { status: 'failed', detail: failureDetail(r), data };
  const reboot = r.rebootRequired ? '; reboot required' : '';
  if (r.mode === 'check') {
    const detail = r.pending.length ? `${r.pending.length} pending: ${listChanges(r.pending)}` : 'up to date';
    return { status: 'ok', detail: detail + reboot, data };
  }
  if (!r.changed.length) return { status: 'unchanged', detail: `nothing to do${reboot}`, data };
  return {
    status: 'changed',
    detail: `upgraded ${r.changed.length}: ${listChanges(r.changed)}${reboot}`,
    data,
  };
}

function failureDetail(r: UpdateResult): string {
  const where = r.failedStep ? `${r.packageManager} ${r.failedStep} failed` : 'update failed';
  const partial = r.changed.length ? ` (after changing ${r.changed.length} packages)` : '';
  return `${where}${partial}: ${r.error ?? 'unknown error'}`;
}

export function formatChange(c: PackageChange): string {
  if (c.old === null) return `${c.name} (new) ${c.new}`;
  if (c.new === null) return `${c.name} ${c.old} (removed)`;
  return `${c.name} ${c.old} → ${c.new}`;
}

function listChanges(list: PackageChange[]): string {
  const shown = list.slice(0, SHOWN).map(formatChange).join(', ');
  return list.length > SHOWN ? `${shown} (+${list.length - SHOWN} more)` : shown;
}
