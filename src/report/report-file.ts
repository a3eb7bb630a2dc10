/** The run's JSON report (RunReport, schemaVersion 1) and its file reports/<time>-<command>.json. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostResult, RunReport } from '../model/result.js';
import { PRIVATE_FILE, privateDir } from '../private-fs.js';
import { renderJson } from './render-json.js';

/** What a finished run knows: the report's fields, with the engine's results as its hosts. */
export type RunFacts = Omit<RunReport, 'schemaVersion' | 'hosts'> & { results: HostResult[] };

export function buildRunReport(run: RunFacts): RunReport {
  return {
    schemaVersion: 1,
    command: run.command,
    selector: run.selector,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    stopped: run.stopped,
    ...(run.stopReason !== undefined && { stopReason: run.stopReason }),
    ...(run.shard !== undefined && { shard: run.shard }),
    hosts: run.results,
  };
}

/** `2026-11-22T01:02:03.456Z` → `2026-11-22T01-02-03Z`: UTC, sorts by time, no `:` (Windows, scp). */
export function fileStamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
}

/** The n-th candidate name: `<stamp>-<command>.json`, then `<stamp>-<command>-2.json`, ... */
export function reportFileName(command: string, startedAt: string, n = 1): string {
  const safe = command.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  return `${fileStamp(startedAt)}-${safe}${n > 1 ? `-${n}` : ''}.json`;
}

const MAX_ATTEMPTS = 1000;

/**
 * Write the report under `dir` (created if missing; 0700, the file 0600: reports hold diffs)
 * and return its path. Never overwrites: the
 * file is created exclusively (`wx`), and a name already taken gets the next suffix.
 */
export async function writeReportFile(dir: string, report: RunReport): Promise<string> {
  await privateDir(dir);
  const body = renderJson(report);
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const path = join(dir, reportFileName(report.command, report.startedAt, n));
    try {
      await writeFile(path, body, { flag: 'wx', mode: PRIVATE_FILE });
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`no free report file name in ${dir} after ${MAX_ATTEMPTS} attempts`);
}
