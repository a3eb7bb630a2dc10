/**
 * `fleet.yaml` at the repository root (-C): defaults for the flags of the fan-out commands, for
 * every command and per command, validated like profiles (every problem at once, file:line:col,
 * "did you mean"). A flag given on the command line always wins; then the command's section;
 * then the top level; then fleet's built-in default. docs/config.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { type Cursor, entries, itemsOrOne, rootCursor } from '../inventory/input/cursor.js';
import { Problems } from '../inventory/input/problems.js';
import { describe } from '../inventory/input/read.js';
import { parseYaml } from '../inventory/input/source.js';
import { didYouMean } from '../inventory/input/suggest.js';
import { parseAmount, parseCount, parseDuration, parseFormats, parseWorkers } from './fanout-options.js';

export const CONFIG_FILE = 'fleet.yaml';

/** Each key: the option it sets (commander's attribute name) and the check its value passes. */
const KEYS: Record<string, { option: string; check: (v: string) => unknown }> = {
  concurrency: { option: 'concurrency', check: (v) => parseCount(v, 1) },
  canary: { option: 'canary', check: (v) => parseCount(v, 0) },
  batch: { option: 'batch', check: parseAmount },
  max_fail: { option: 'maxFail', check: parseAmount },
  timeout: { option: 'timeout', check: parseDuration },
  confirm_timeout: { option: 'confirmTimeout', check: (v) => parseCount(v, 5) },
  keep: { option: 'keep', check: (v) => parseCount(v, 1) },
  formats: { option: 'formats', check: parseFormats },
  workers: { option: 'workers', check: parseWorkers },
};
const TOP_KEYS = [...Object.keys(KEYS), 'commands'];

/** Option values (as the flag's text) by commander attribute name. */
export type OptionValues = Record<string, string>;

export interface RepoConfig {
  file: string;
  all: OptionValues;
  commands: Map<string, OptionValues>;
}

/** `<dir>/fleet.yaml`, checked; undefined when there is none. `commands` are the known command names. */
export function readRepoConfig(dir: string, commands: readonly string[]): RepoConfig | undefined {
  const file = path.join(dir, CONFIG_FILE);
  if (!existsSync(file)) return undefined;
  const p = new Problems();
  const src = parseYaml(file, readFileSync(file, 'utf8'), p);
  const config: RepoConfig = { file, all: {}, commands: new Map() };
  if (src) {
    const top = entries(rootCursor(src), p, TOP_KEYS);
    config.all = readValues(top, p);
    const per = top.get('commands');
    for (const [name, c] of per ? entries(per, p) : []) {
      if (!commands.includes(name)) {
        p.add(c.keyPos ?? c.pos, c.path, `unknown command "${name}"${didYouMean(name, commands)}`);
        continue;
      }
      config.commands.set(name, readValues(entries(c, p, Object.keys(KEYS)), p));
    }
  }
  p.throwIfAny(`fix ${file} (docs/config.md lists its keys)`);
  return config;
}

function readValues(e: Map<string, Cursor>, p: Problems): OptionValues {
  const out: OptionValues = {};
  for (const [key, c] of e) {
    const spec = KEYS[key];
    if (!spec) continue;
    const text = textOf(key, c, p);
    if (text === undefined) continue;
    try {
      spec.check(text);
      out[spec.option] = text;
    } catch (err) {
      const got = key === 'formats' ? '' : `, got ${describe(c)}`;
      p.add(c.pos, c.path, `${(err as Error).message}${got}`);
    }
  }
  return out;
}

/** A scalar's text; `formats` may also be a list (`[html, junit]`). */
function textOf(key: string, c: Cursor, p: Problems): string | undefined {
  const items = key === 'formats' ? itemsOrOne(c, p) : [c];
  const values = items.map((i) => (i.node && 'value' in i.node ? i.node.value : undefined));
  if (values.length && values.every((v) => typeof v === 'string' || typeof v === 'number'))
    return values.join(',');
  p.add(
    c.pos,
    c.path,
    `${key}: expected ${key === 'formats' ? 'a list of formats' : 'a value'}, got ${describe(c)}`,
  );
  return undefined;
}

/**
 * Before a command runs: the config's values for options the command has and the command line
 * did not give (commander's value source is still its default). The command then validates them
 * as it validates flags.
 */
export function applyRepoConfig(program: Command, action: Command): void {
  const dir = (action.optsWithGlobals() as { dir?: string }).dir ?? '.';
  const config = readRepoConfig(dir, commandPaths(program));
  if (!config) return;
  const values = { ...config.all, ...config.commands.get(commandPath(action)) };
  for (const [attr, text] of Object.entries(values)) {
    const known = action.options.some((o) => o.attributeName() === attr);
    const source = action.getOptionValueSource(attr);
    if (known && (source === undefined || source === 'default'))
      action.setOptionValueWithSource(attr, text, 'config');
  }
}

/** `apply`, `bans sync`: a command's words below the program. */
function commandPath(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

function commandPaths(program: Command): string[] {
  const walk = (c: Command): Command[] => [c, ...c.commands.flatMap(walk)];
  return program.commands.flatMap(walk).map(commandPath);
}
