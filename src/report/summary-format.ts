/** Small text helpers shared by the summary table and the progress lines. */
import { terminalText } from './terminal-text.js';

/** 850 → "850ms", 1234 → "1.2s", 125000 → "2m05s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** A one-line form of a possibly multi-line text (a remote error, a diff summary), safe on a terminal. */
export function oneLine(text: string): string {
  return terminalText(text, { lines: true })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' | ');
}

/** Cut a text to `width` characters, marking the cut with an ellipsis. */
export function clip(text: string, width: number): string {
  if (width <= 0 || text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}
