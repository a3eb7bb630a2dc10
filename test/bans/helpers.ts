/** Shared by the ban lab tests: run the CLI in process, read its report, look at a host's bans. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabInfo, labHostExec } from '../../src/lab/index.js';
import type { HostStatus, RunReport } from '../../src/model/result.js';
import { fleetCli } from '../support/cli.js';

export interface CliRun {
  code: number;
  stderr: string;
  /** The report file this run wrote, if it wrote one. */
  report?: RunReport;
}

/** A fleet repository of its own for one test file (bans.yaml, reports/ go here). */
export function tempRepo(tag: string): string {
  return mkdtempSync(join(tmpdir(), `fleet-${tag}-`));
}

/** The CLI in process (test/support/cli.ts) against the lab's inventory. */
export async function fleet(dir: string, lab: LabInfo, ...args: string[]): Promise<CliRun> {
  const r = await fleetCli(dir, ...args, '-i', lab.inventoryPath);
  return { code: r.code, stderr: r.stderr, report: r.report };
}

export function reports(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'reports'));
  } catch {
    return [];
  }
}

export function statuses(r: CliRun): Record<string, HostStatus> {
  return Object.fromEntries((r.report?.hosts ?? []).map((h) => [h.host, h.status]));
}

/** Count of hosts per status, e.g. { changed: 19, unreachable: 1 }. */
export function tally(r: CliRun): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of Object.values(statuses(r))) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/** The members of a host's ban set (as ipset prints them). */
export async function setMembers(lab: LabInfo, host: string, family: 4 | 6 = 4): Promise<string[]> {
  const r = await labHostExec(lab, host, ['ipset', 'list', `fleet-bans${family}`]);
  if (!r.ok) return [];
  const text = r.stdout.split('Members:\n')[1] ?? '';
  return text.split('\n').filter(Boolean).sort();
}

/** An address of the lab's subnets that no host or workstation uses (x.x.x.N, prefix::N). */
export function labAddress(lab: LabInfo, n: number, family: 4 | 6): string {
  if (family === 4) return lab.subnet.replace(/\.0\/24$/, `.${n}`);
  return `${lab.subnet6.replace(/::\/64$/, '::')}${n.toString(16)}`;
}
