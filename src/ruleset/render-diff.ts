/**
 * A RulesetDiff printed like a unified diff: `--- current` / `+++ desired`, one `@@ table
 * chain @@` hunk per chain that changes, rules as `-A CHAIN ...` lines, a few lines of context.
 * Preserved chains are listed after, as comments. An empty diff prints nothing.
 */
import type { ChainDiff, DiffLine, RulesetDiff } from './diff.js';
import { joinArgs } from './tokens.js';

export interface RenderDiffOptions {
  /** Unchanged rules shown around each change (default 3). */
  context?: number;
  /** Also list preserved chains (default true). */
  foreign?: boolean;
}

export function renderDiff(d: RulesetDiff, opts: RenderDiffOptions = {}): string {
  if (d.empty) return '';
  const ctx = opts.context ?? 3;
  const label = d.family === 6 ? ' (ip6tables)' : ' (iptables)';
  const out = [`--- current${label}`, `+++ desired${label}`];
  for (const t of d.tables) for (const c of t.chains) out.push(...hunk(t.table, c, ctx));
  if (opts.foreign !== false)
    out.push(...d.foreign.map((f) => `# preserved ${f.table} ${f.chain} (${f.rules} rules)`));
  return `${out.join('\n')}\n`;
}

function hunk(table: string, c: ChainDiff, ctx: number): string[] {
  const note = c.change === 'declared' ? ' (new chain)' : c.change === 'deleted' ? ' (chain deleted)' : '';
  const out = [`@@ ${table} ${c.chain} @@${note}`];
  if (c.policy) out.push(`-:${c.chain} ${c.policy.from ?? '-'}`, `+:${c.chain} ${c.policy.to ?? '-'}`);
  const keep = visible(c.lines, ctx);
  c.lines.forEach((l, i) => {
    if (!keep[i]) {
      if (i === 0 || keep[i - 1]) out.push(' ...');
      return;
    }
    out.push(`${l.op}-A ${c.chain} ${joinArgs(l.args)}`.trimEnd());
  });
  return out;
}

/** Which lines to print: every change and `ctx` unchanged lines on either side of one. */
function visible(lines: readonly DiffLine[], ctx: number): boolean[] {
  const keep = lines.map((l) => l.op !== ' ');
  const changed = lines.map((l, i) => (l.op !== ' ' ? i : -1)).filter((i) => i >= 0);
  for (const i of changed)
    for (let k = Math.max(0, i - ctx); k <= Math.min(lines.length - 1, i + ctx); k++) keep[k] = true;
  return keep;
}
