/**
 * What changed between two reports (typically last night's audit and tonight's): hosts added
 * and removed, status changes, and per host the findings that are new or resolved. A finding is
 * identified by check, severity and message; the same finding twice counts twice.
 */
import type { Finding } from '../model/finding.js';
import type { HostResult, HostStatus, RunReport } from '../model/result.js';
import { cmp, findingsOf, type Health, hostHealth } from './render-common.js';

export interface RunRef {
  command: string;
  selector: string;
  startedAt: string;
  finishedAt: string;
}

export interface HostRef {
  host: string;
  status: HostStatus;
  health: Health;
  findings: Finding[];
}

export interface HostChange {
  host: string;
  from: { status: HostStatus; health: Health };
  to: { status: HostStatus; health: Health };
  newFindings: Finding[];
  resolvedFindings: Finding[];
}

export interface ReportDiff {
  from: RunRef;
  to: RunRef;
  /** In `to` only, by name. */
  added: HostRef[];
  /** In `from` only, by name. */
  removed: HostRef[];
  /** In both, with a different status or different findings, by name. */
  changed: HostChange[];
  /** In both and the same. */
  unchanged: number;
}

export function diffReports(from: RunReport, to: RunReport): ReportDiff {
  const before = byHost(from);
  const after = byHost(to);
  const names = [...after.keys()].filter((n) => before.has(n));
  const changed = names.map((n) => hostChange(before.get(n)!, after.get(n)!)).filter(isChange);
  return {
    from: runRef(from),
    to: runRef(to),
    added: refsOnlyIn(after, before),
    removed: refsOnlyIn(before, after),
    changed: changed.sort((a, b) => cmp(a.host, b.host)),
    unchanged: names.length - changed.length,
  };
}

export function isEmptyDiff(d: ReportDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

function runRef(r: RunReport): RunRef {
  return { command: r.command, selector: r.selector, startedAt: r.startedAt, finishedAt: r.finishedAt };
}

function byHost(r: RunReport): Map<string, HostResult> {
  return new Map(r.hosts.map((h) => [h.host, h]));
}

function refsOnlyIn(a: Map<string, HostResult>, b: Map<string, HostResult>): HostRef[] {
  return [...a.values()]
    .filter((h) => !b.has(h.host))
    .map((h) => ({ host: h.host, status: h.status, health: hostHealth(h), findings: findingsOf(h) }))
    .sort((x, y) => cmp(x.host, y.host));
}

function hostChange(a: HostResult, b: HostResult): HostChange {
  return {
    host: b.host,
    from: { status: a.status, health: hostHealth(a) },
    to: { status: b.status, health: hostHealth(b) },
    newFindings: minus(findingsOf(b), findingsOf(a)),
    resolvedFindings: minus(findingsOf(a), findingsOf(b)),
  };
}

function isChange(c: HostChange): boolean {
  return c.from.status !== c.to.status || c.newFindings.length > 0 || c.resolvedFindings.length > 0;
}

/** The findings of `xs` not matched one-for-one in `ys` (a multiset difference). */
function minus(xs: readonly Finding[], ys: readonly Finding[]): Finding[] {
  const left = new Map<string, number>();
  for (const y of ys) left.set(key(y), (left.get(key(y)) ?? 0) + 1);
  return xs.filter((x) => {
    const n = left.get(key(x)) ?? 0;
    if (n > 0) left.set(key(x), n - 1);
    return n === 0;
  });
}

function key(f: Finding): string {
  return JSON.stringify([f.check, f.severity, f.message]);
}
