/** Run the fleet CLI in this process (as the lab tests do): exit code, stdout, stderr, report. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { LabInfo } from '../../src/lab/index.js';
import type { HostStatus, RunReport } from '../../src/model/result.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The reports/<time>-<command>.json this run wrote, if any. */
  report?: RunReport;
  reportPath?: string;
}

export async function fleetCli(dir: string, ...args: string[]): Promise<CliRun> {
  const before = new Set(reportFiles(dir));
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(String(chunk));
    return true;
  };
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  process.exitCode = undefined;
  try {
    await main(['node', 'fleet', '-C', dir, ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  const file = reportFiles(dir).find((f) => !before.has(f));
  const reportPath = file && join(dir, 'reports', file);
  const report = reportPath ? (JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport) : undefined;
  return { code, stdout: out.join(''), stderr: err.join(''), report, reportPath };
}

function reportFiles(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'reports'));
  } catch {
    return [];
  }
}

/** The CLI in process against a lab's inventory (`-i` goes last, after the command's words). */
export async function fleetOnLab(dir: string, lab: LabInfo, ...args: string[]): Promise<CliRun> {
  return fleetCli(dir, ...args, '-i', lab.inventoryPath);
}

export function statuses(r: Pick<CliRun, 'report'>): Record<string, HostStatus> {
  return Object.fromEntries((r.report?.hosts ?? []).map((h) => [h.host, h.status]));
}

/** Count of hosts per status, e.g. { changed: 19, unreachable: 1 }. */
export function tally(r: Pick<CliRun, 'report'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of Object.values(statuses(r))) out[s] = (out[s] ?? 0) + 1;
  return out;
}
