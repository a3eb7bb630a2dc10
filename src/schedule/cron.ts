/**
 * The crontab entry for a scheduled run. cron hands the command to /bin/sh, so each word goes
 * through fleet's one quoting function (POSIX single quotes), and `%` — which cron turns into a
 * newline — is written `\%`. A comment line before the entry marks it as fleet's, so
 * `--install` replaces its own entry and nothing else. Pure.
 */
import { createHash } from 'node:crypto';
import { quote } from '../remote/quote.js';
import { cronFields, type Every } from './every.js';
import { checkValue } from './systemd.js';

export function cronMarker(name: string): string {
  return `# fleet-schedule ${name} (written by \`fleet schedule --cron\`; the next line is managed)`;
}

/** A stable minute for this job, so many workstations' audits do not all start at :00. */
export function spreadMinute(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) % 60;
}

export function cronCommand(argv: readonly string[]): string {
  return argv.map((w) => quote(checkValue('a command word', w)).replaceAll('%', '\\%')).join(' ');
}

/** The marker line and the entry line. */
export function cronEntry(name: string, every: Every, argv: readonly string[]): string {
  return `${cronMarker(name)}\n${cronFields(every, spreadMinute(argv.join('\0')))} ${cronCommand(argv)}\n`;
}

/** A crontab with this job's entry (and marker) replaced, or added at the end. */
export function withCronEntry(crontab: string, name: string, entry: string): string {
  const lines = crontab.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === cronMarker(name))
      i++; // drop the marker and the entry after it
    else kept.push(lines[i]!);
  }
  const body = kept.join('\n').replace(/\n*$/, '');
  return `${body ? `${body}\n` : ''}${entry}`;
}
