/**
 * fleet.yaml: validated like profiles (every problem at once, file:line:col, did-you-mean), and
 * applied to the real command definitions with commander's own value sources: a flag on the
 * command line wins, then the command's section, then the top level, then fleet's default.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { readTransactionFlags } from '../../src/cli/apply-options.js';
import { readFanoutOptions } from '../../src/cli/fanout-options.js';
import { buildProgram } from '../../src/cli/main.js';
import { applyRepoConfig, readRepoConfig } from '../../src/cli/repo-config.js';
import { InputError } from '../../src/errors.js';

function repo(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-config-'));
  writeFileSync(path.join(dir, 'fleet.yaml'), text);
  return dir;
}

/** The command as the program defines it, its flags parsed, then fleet.yaml applied. */
function configured(dir: string, name: string, argv: string[]): Command {
  const program = buildProgram();
  program.setOptionValue('dir', dir);
  const cmd = program.commands.find((c) => c.name() === name)!;
  cmd.parseOptions(argv);
  applyRepoConfig(program, cmd);
  return cmd;
}

const CONFIG = `# repository defaults
concurrency: 20
canary: 2
batch: 25%
max_fail: 10%
timeout: 90s
confirm_timeout: 45
keep: 20
formats: [md, junit]
workers: 2
commands:
  audit: { concurrency: 100, formats: html, workers: auto }
`;

describe('fleet.yaml', () => {
  it('gives defaults to the fan-out flags; a command section wins over the top level', () => {
    const dir = repo(CONFIG);
    const apply = configured(dir, 'apply', []);
    const o = readFanoutOptions(apply.optsWithGlobals());
    expect([o.concurrency, o.canary, o.batch, o.maxFail, o.timeoutMs, o.formats, o.workers]).toEqual([
      20,
      2,
      { percent: 25 },
      { percent: 10 },
      90_000,
      ['md', 'junit'],
      2,
    ]);
    expect(readTransactionFlags(apply.opts())).toMatchObject({ confirmTimeoutS: 45, keep: 20 });
    const audit = readFanoutOptions(configured(dir, 'audit', []).optsWithGlobals());
    expect([audit.concurrency, audit.canary, audit.formats, audit.workers]).toEqual([
      100,
      2,
      ['html'],
      undefined,
    ]);
  });

  it('is overridden by flags on the command line', () => {
    const dir = repo(CONFIG);
    const apply = configured(dir, 'apply', ['--concurrency', '5', '--keep', '3', '--formats', 'prom']);
    const o = readFanoutOptions(apply.optsWithGlobals());
    expect([o.concurrency, o.canary, o.formats]).toEqual([5, 2, ['prom']]);
    expect(readTransactionFlags(apply.opts()).keep).toBe(3);
  });

  it('leaves fleet`s defaults alone when absent, and sets only options a command has', () => {
    const none = readFanoutOptions(
      configured(mkdtempSync(path.join(tmpdir(), 'fleet-noconf-')), 'facts', []).optsWithGlobals(),
    );
    expect([none.concurrency, none.formats]).toEqual([50, undefined]);
    const facts = configured(repo('keep: 4\nconcurrency: 7\n'), 'facts', []);
    expect(facts.opts().keep).toBeUndefined();
    expect(facts.opts().concurrency).toBe('7');
  });

  it('reports every problem at once with file:line:col and a did-you-mean', () => {
    const dir = repo(
      'concurency: 20\ncanary: -1\nbatch: 0%\nformats: [html, xlsx]\ncommands:\n  aply: { keep: 2 }\n  audit: { kep: 2 }\n',
    );
    let err: unknown;
    try {
      readRepoConfig(dir, ['apply', 'audit', 'facts']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const lines = (err as InputError).message.split('\n').map((l) => l.replace(dir, '.'));
    expect(lines).toEqual([
      './fleet.yaml:1:1 concurency: unknown key "concurency" (did you mean "concurrency"?); allowed: concurrency, canary, batch, max_fail, timeout, confirm_timeout, keep, formats, workers, commands',
      './fleet.yaml:2:9 canary: expected a whole number, got -1',
      './fleet.yaml:3:8 batch: a percentage must be more than 0% and at most 100%, got "0%"',
      './fleet.yaml:4:10 formats: unknown report format "xlsx"; formats: table, json, md, html, junit, nagios, prom',
      './fleet.yaml:6:3 commands.aply: unknown command "aply" (did you mean "apply"?)',
      './fleet.yaml:7:12 commands.audit.kep: unknown key "kep" in commands.audit (did you mean "keep"?); allowed: concurrency, canary, batch, max_fail, timeout, confirm_timeout, keep, formats, workers',
    ]);
  });

  it('stops any command with exit 2 when it is malformed', async () => {
    const program = buildProgram();
    const dir = repo('canary: [\n');
    await expect(program.parseAsync(['node', 'fleet', '-C', dir, 'hosts', 'all'])).rejects.toThrow(
      /fleet\.yaml:\d+:\d+ malformed YAML/,
    );
  });
});
