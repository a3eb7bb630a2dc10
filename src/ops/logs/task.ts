/**
 * One host's dropped-packet log: run the logs script with the profile's prefix, parse the lines,
 * keep those since `since`. Read-only. The drops travel in the result's data for the fleet
 * summary (and the JSON report).
 */
import type { TaskResult } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import { type Drop, parseDrop, parseLogsOutput } from './parse.js';
import { checkPrefix, LOGS_SCRIPT } from './script.js';

export interface LogsJob {
  prefix: string;
  /** Unix seconds: lines older than this are left out. */
  since: number;
  maxLines: number;
}

export async function logsHost(session: RemoteSession, job: LogsJob): Promise<TaskResult> {
  const args = [checkPrefix(job.prefix), String(Math.floor(job.since)), String(job.maxLines)];
  const res = await session.run(LOGS_SCRIPT, { args });
  if (res.code !== 0)
    throw new Error(`the logs script failed (exit ${res.code}): ${res.stderr.trim().slice(0, 300)}`);
  const log = parseLogsOutput(res.stdout);
  const drops = log.lines
    .map((l) => parseDrop(l, job.prefix, log.now * 1000, log.zone))
    .filter((d): d is Drop => d !== null && (d.t === null || d.t >= job.since * 1000));
  const oldest = drops[0]?.t ?? null;
  const cutInRange = log.count > log.lines.length && oldest !== null && oldest >= job.since * 1000;
  const cut = cutInRange
    ? ` (only the newest ${log.lines.length} of ${log.count} lines read: raise --max-lines)`
    : '';
  const detail =
    log.source === 'none'
      ? 'no kernel log to read (no journal, dmesg or kern.log)'
      : `${drops.length} dropped packets logged (${log.source})${cut}`;
  return {
    status: 'ok',
    detail,
    data: { source: log.source, prefix: job.prefix, count: drops.length, drops },
  };
}
