/**
 * `fleet logs SEL --since 1h`: the dropped-packet lines (each host's profile log prefix) from
 * the hosts' kernel logs, and the top blocked sources and ports across the fleet. Read-only.
 * docs/audit.md#logs.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { type Fleet, profileFor } from '../../inventory/index.js';
import type { HostResult } from '../../model/result.js';
import { checkPrefix, type Drop, logsHost, renderDropSummary, summarizeDrops } from '../../ops/logs/index.js';
import { parseSpan } from '../../schedule/span.js';
import { parseCount } from '../fanout-options.js';
import { declareHostCommand, runSelected } from '../host-command.js';

interface LogsFlags {
  since: string;
  top: string;
  prefix?: string;
  maxLines: string;
}

export function registerLogs(program: Command): void {
  const cmd = program
    .command('logs <selector>')
    .description('summarize dropped-packet log lines across the fleet: top blocked sources and ports')
    .option('--since <span>', 'how far back (30m, 1h, 1d)', '1h')
    .option('--top <n>', 'how many sources and ports to list', '10')
    .option('--prefix <text>', "the log prefix to look for (default: each host's profile log.prefix)")
    .option('--max-lines <n>', 'read at most the newest N matching lines per host', '20000');
  declareHostCommand(cmd, { timeout: '2m' }).action(async (selector: string, _o, c: Command) => {
    const flags = c.optsWithGlobals();
    const o = readLogsFlags(flags as unknown as LogsFlags);
    const since = Math.floor(Date.now() / 1000) - o.sinceS;
    const sinceIso = new Date(since * 1000).toISOString();
    process.exitCode = await runSelected<Fleet>(selector, flags, {
      command: 'logs',
      withProfiles: true,
      beforeSummary: (results) =>
        renderDropSummary(summarizeDrops(hostDrops(results), o.top), results.length, sinceIso),
      task: async (job, host, session, ctx) => {
        const prefix = o.prefix ?? profileFor(job.fleet, host).log?.prefix;
        if (!prefix)
          return {
            status: 'ok',
            detail: `profile ${host.profile ?? '?'} logs no drops (no log: prefix; pass --prefix)`,
          };
        ctx.step('read');
        return logsHost(session, { prefix, since, maxLines: o.maxLines });
      },
    });
  });
}

function readLogsFlags(f: LogsFlags) {
  const count = (flag: string, v: string, min: number) => {
    try {
      return parseCount(v, min);
    } catch (err) {
      throw new InputError({ path: flag, message: `${JSON.stringify(v)}: ${(err as Error).message}` });
    }
  };
  let prefix: string | undefined;
  try {
    prefix = f.prefix === undefined ? undefined : checkPrefix(f.prefix);
  } catch (err) {
    throw new InputError({ path: '--prefix', message: (err as Error).message });
  }
  return {
    sinceS: parseSpan('--since', f.since, { min: 60, max: 366 * 86_400 }),
    top: count('--top', f.top, 1),
    maxLines: count('--max-lines', f.maxLines, 1),
    prefix,
  };
}

function hostDrops(results: readonly HostResult[]) {
  return results.map((r) => ({ host: r.host, drops: (r.data?.drops as Drop[] | undefined) ?? [] }));
}
