/** The fleet's drop summary as text for the terminal (before the summary table). Pure. */
import type { DropSummary, Ranked } from './summary.js';

export function renderDropSummary(s: DropSummary, hosts: number, sinceIso: string): string {
  const head = `dropped packets logged since ${sinceIso}: ${s.total} on ${hosts} host${hosts === 1 ? '' : 's'} (a line seen on several hosts counts once)`;
  if (s.total === 0) return `${head}\n\n`;
  return [
    head,
    '',
    'top blocked sources:',
    ...table(['COUNT', 'SOURCE', 'HOSTS', 'PORTS'], s.sources),
    '',
    'top blocked ports:',
    ...table(['COUNT', 'PORT', 'HOSTS', 'SOURCES'], s.ports),
    '',
    '',
  ].join('\n');
}

function table(header: string[], rows: Ranked[]): string[] {
  const cells = [header, ...rows.map((r) => [String(r.count), r.key, String(r.hosts), r.related.join(', ')])];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) =>
    `  ${c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')}`.trimEnd(),
  );
}
