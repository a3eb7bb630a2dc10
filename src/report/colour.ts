/**
 * Colour for people at a terminal: statuses and diffs. Off unless the stream is a terminal, and
 * off with NO_COLOR (https://no-color.org) or `--no-color`. Applied after terminalText, so the
 * only escape sequences on the screen are these.
 */
import type { HostStatus } from '../model/result.js';

export type Tone = 'good' | 'bad' | 'warn' | 'add' | 'del' | 'hunk';
export type Paint = (tone: Tone, text: string) => string;

const SGR: Record<Tone, string> = { good: '32', bad: '31', warn: '33', add: '32', del: '31', hunk: '36' };

export const noColour: Paint = (_tone, text) => text;
export const ansiColour: Paint = (tone, text) => (text ? `\u001b[${SGR[tone]}m${text}\u001b[0m` : text);

/** Keyed by the union: a new status must say how it looks. */
export const STATUS_TONE: Record<HostStatus, Tone | undefined> = {
  changed: 'warn',
  unchanged: 'good',
  ok: 'good',
  'rolled-back': 'bad',
  failed: 'bad',
  unreachable: 'bad',
  skipped: undefined,
};

export function wantsColour(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/** A unified diff's lines coloured: `+` green, `-` red, `@@` hunk heads cyan. */
export function colourDiff(text: string, paint: Paint): string {
  return text
    .split('\n')
    .map((l) => {
      if (l.startsWith('+++') || l.startsWith('---')) return l;
      if (l.startsWith('+')) return paint('add', l);
      if (l.startsWith('-')) return paint('del', l);
      return l.startsWith('@@') ? paint('hunk', l) : l;
    })
    .join('\n');
}
