/**
 * What `fleet schedule audit` schedules: the unit name, the exact argv of the audit it runs
 * (absolute paths: a timer or cron has no working directory of yours), its environment and
 * its period — checked before anything is printed or written. Pure.
 */
import { isAbsolute } from 'node:path';
import { InputError } from '../errors.js';
import { parseFormat } from '../report/formats.js';
import { type Every, parseEvery } from './every.js';
import { parseSpan } from './span.js';
import { checkValue, type UnitSpec } from './systemd.js';

export interface ScheduleInput {
  selector: string;
  /** The fleet repository, absolute. */
  dir: string;
  every: string;
  name?: string;
  inventory?: string;
  format?: string;
  out?: string;
  backupMaxAge?: string;
  /** How to start fleet: node's path and bin/fleet.js, absolute. */
  program: readonly string[];
  home: string;
}

export interface Schedule {
  /** `fleet-audit` or `fleet-audit-<name>`. */
  unit: string;
  argv: string[];
  env: Record<string, string>;
  every: Every;
  everyText: string;
  description: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function planSchedule(i: ScheduleInput): Schedule {
  if (i.name !== undefined && !NAME.test(i.name))
    throw new InputError({
      path: '--name',
      message: `"${i.name}": lowercase letters, digits and dashes, at most 40`,
    });
  for (const p of [i.dir, i.inventory, i.out, i.home, ...i.program])
    if (p !== undefined && !isAbsolute(p)) throw new Error(`schedule: ${p} must be an absolute path`);
  const argv = [...i.program, '-C', i.dir, 'audit', i.selector, ...auditFlags(i)];
  for (const w of argv) checkWord(w);
  return {
    unit: i.name ? `fleet-audit-${i.name}` : 'fleet-audit',
    argv,
    env: { HOME: checkWord(i.home) },
    every: parseEvery(i.every),
    everyText: i.every.trim(),
    description: `fleet audit of ${i.selector} (${i.dir})`,
  };
}

function auditFlags(i: ScheduleInput): string[] {
  const out: string[] = [];
  if (i.inventory) out.push('-i', i.inventory);
  if (i.format) out.push('--format', parseFormat(i.format));
  if (i.out) out.push('--out', i.out);
  if (i.backupMaxAge !== undefined) {
    if (i.backupMaxAge !== '0') parseSpan('--backup-max-age', i.backupMaxAge);
    out.push('--backup-max-age', i.backupMaxAge);
  }
  return out;
}

/** The schedule as the unit writer takes it. */
export function unitSpec(s: Schedule): UnitSpec {
  return {
    name: s.unit,
    description: s.description,
    argv: s.argv,
    env: s.env,
    every: s.every,
    everyText: s.everyText,
  };
}

function checkWord(w: string): string {
  try {
    return checkValue('a value', w);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}
