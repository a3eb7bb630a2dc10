/**
 * The systemd timer and service pair for a scheduled run, as text. Every value is checked
 * (no control characters) and written in systemd's own syntax: ExecStart= words in double
 * quotes with `\` and `"` escaped, `%` as `%%` (specifiers) and `$` as `$$` (variables);
 * free text (Description=) with `%` doubled. No shell is involved: systemd runs the argv. Pure.
 */
import { type Every, randomDelay } from './every.js';

export interface UnitSpec {
  /** Unit base name: `fleet-audit` gives fleet-audit.service and fleet-audit.timer. */
  name: string;
  description: string;
  /** The full argv to run (absolute program path first). */
  argv: readonly string[];
  /** Environment for the run (HOME, so ~/.ssh is found). */
  env: Readonly<Record<string, string>>;
  every: Every;
  /** What --every said, for the timer's description. */
  everyText: string;
}

function hasControl(value: string): boolean {
  return [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

export function checkValue(what: string, value: string): string {
  if (hasControl(value))
    throw new Error(`${what} contains a control character (newline, tab...): ${JSON.stringify(value)}`);
  return value;
}

/** One ExecStart= word: double-quoted, C escapes for `\` and `"`, `%%` and `$$`. */
export function systemdWord(value: string): string {
  return quoted(checkValue('a command word', value).replaceAll('$', '$$$$'));
}

/** One Environment= assignment (no `$` expansion there, so `$` stays as it is). */
export function systemdEnv(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`bad environment variable name ${JSON.stringify(name)}`);
  return quoted(`${name}=${checkValue(name, value)}`);
}

function quoted(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%')}"`;
}

/** Free text (Description=): one line, specifiers escaped. */
export function systemdText(value: string): string {
  return checkValue('a description', value).replaceAll('%', '%%');
}

export function serviceUnit(u: UnitSpec): string {
  const env = Object.entries(u.env).map(([k, v]) => `Environment=${systemdEnv(k, v)}`);
  return [
    `# ${u.name}.service: written by \`fleet schedule\`; started by ${u.name}.timer.`,
    '[Unit]',
    `Description=${systemdText(u.description)}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    ...env,
    `ExecStart=${u.argv.map(systemdWord).join(' ')}`,
    '',
  ].join('\n');
}

export function timerUnit(u: UnitSpec): string {
  const when =
    u.every.kind === 'calendar'
      ? [`OnCalendar=${u.every.onCalendar}`, 'Persistent=true']
      : [`OnBootSec=${Math.min(u.every.seconds, 900)}`, `OnUnitActiveSec=${u.every.seconds}`];
  return [
    `# ${u.name}.timer: written by \`fleet schedule\`. Stop it with: systemctl disable --now ${u.name}.timer`,
    '[Unit]',
    `Description=${systemdText(`${u.description}, every ${u.everyText}`)}`,
    '',
    '[Timer]',
    ...when,
    `RandomizedDelaySec=${randomDelay(u.every)}`,
    'AccuracySec=1min',
    `Unit=${u.name}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}
