/** Renderers of a ReportDiff (`fleet report diff A B --format text|md|json`). */
import type { Finding } from '../model/finding.js';
import { oneLine } from './render-common.js';
import { md } from './render-md.js';
import type { HostChange, HostRef, ReportDiff, RunRef } from './report-diff.js';
import { isEmptyDiff } from './report-diff.js';

export const DIFF_FORMATS = ['text', 'md', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

const RENDERERS: { readonly [F in DiffFormat]: (d: ReportDiff) => string } = {
  text: renderDiffText,
  md: renderDiffMarkdown,
  json: renderDiffJson,
};

export function renderDiff(diff: ReportDiff, format: DiffFormat): string {
  return RENDERERS[format](diff);
}

export function isDiffFormat(value: string): value is DiffFormat {
  return (DIFF_FORMATS as readonly string[]).includes(value);
}

export function diffCounts(d: ReportDiff): string {
  return `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged`;
}

function runLine(a: RunRef, b: RunRef): string {
  const run = (r: RunRef) => `${r.command} ${r.selector} ${r.startedAt}`;
  return `${run(a)} → ${run(b)}`;
}

function mismatchNote(d: ReportDiff): string | undefined {
  if (d.from.command === d.to.command && d.from.selector === d.to.selector) return undefined;
  return `note: the reports are of different runs (${d.from.command} ${d.from.selector} vs ${d.to.command} ${d.to.selector})`;
}

function statusText(c: HostChange): string {
  if (c.from.status === c.to.status) return `${c.to.status} (findings changed)`;
  return `${c.from.status} → ${c.to.status} (${c.from.health.toUpperCase()} → ${c.to.health.toUpperCase()})`;
}

function findingText(f: Finding): string {
  return `${f.severity} ${f.check}: ${f.message}`;
}

export function renderDiffText(d: ReportDiff): string {
  const lines = [oneLine(runLine(d.from, d.to)), diffCounts(d)];
  const note = mismatchNote(d);
  if (note) lines.push(oneLine(note));
  if (isEmptyDiff(d)) lines.push('no changes: same hosts, statuses and findings');
  const ref = (verb: string, h: HostRef) =>
    `${verb} ${oneLine(h.host)}: ${h.status} (${h.health.toUpperCase()}), ${h.findings.length} findings`;
  for (const h of d.added) lines.push(ref('+ added', h));
  for (const h of d.removed) lines.push(ref('- removed', h));
  for (const c of d.changed) {
    lines.push(`~ changed ${oneLine(c.host)}: ${statusText(c)}`);
    for (const f of c.newFindings) lines.push(`    + new       ${oneLine(findingText(f))}`);
    for (const f of c.resolvedFindings) lines.push(`    - resolved  ${oneLine(findingText(f))}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderDiffMarkdown(d: ReportDiff): string {
  const out = [`# fleet report diff`, '', md(runLine(d.from, d.to)), '', md(diffCounts(d))];
  const note = mismatchNote(d);
  if (note) out.push('', `> ${md(note)}`);
  if (isEmptyDiff(d)) out.push('', 'No changes: same hosts, statuses and findings.');
  const refs = (title: string, hs: HostRef[]) =>
    hs.length === 0
      ? []
      : ['', `## ${title}`, '', ...hs.map((h) => `- ${md(h.host)}: ${h.status} (${h.health.toUpperCase()})`)];
  out.push(...refs('Added hosts', d.added), ...refs('Removed hosts', d.removed));
  if (d.changed.length > 0) out.push('', '## Changed hosts');
  for (const c of d.changed) {
    out.push('', `### ${md(c.host)}: ${md(statusText(c))}`, '');
    out.push(...c.newFindings.map((f) => `- **new** ${md(findingText(f))}`));
    out.push(...c.resolvedFindings.map((f) => `- **resolved** ${md(findingText(f))}`));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

export function renderDiffJson(d: ReportDiff): string {
  const finding = (f: Finding) => ({ check: f.check, severity: f.severity, message: f.message });
  const ref = (h: HostRef) => ({ ...h, findings: h.findings.map(finding) });
  const change = (c: HostChange) => ({
    ...c,
    newFindings: c.newFindings.map(finding),
    resolvedFindings: c.resolvedFindings.map(finding),
  });
  const body = { ...d, added: d.added.map(ref), removed: d.removed.map(ref), changed: d.changed.map(change) };
  return `${JSON.stringify(body, null, 2)}\n`;
}
