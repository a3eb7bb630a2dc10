/** Shared by the ban lab tests: run the CLI in process, read its report, look at a host's bans. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type LabInfo, labHostExec } from '../../src/lab/index.js';
import type { HostStatus, RunReport } from '../../src/model/result.js';

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

export async function fleet(dir: string, lab: LabInfo, ...args: string[]): Promise<CliRun> {
  const before = new Set(reports(dir));
  let stderr = '';
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    stderr += String(c);
    return true;
  });
  process.exitCode = undefined;
  try {
    await main(['node', 'fleet', '-C', dir, ...args, '-i', lab.inventoryPath]);
  } finally {
    quiet.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  const file = reports(dir).find((f) => !before.has(f));
  const report = file
    ? (JSON.parse(readFileSync(join(dir, 'reports', file), 'utf8')) as RunReport)
    : undefined;
  return { code, stderr, report };
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
