/** Shared by the ban lab tests: run the CLI in process, read its report, look at a host's bans. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabInfo, labHostExec } from '../../src/lab/index.js';

/** A fleet repository of its own for one test file (bans.yaml, reports/ go here). */
export function tempRepo(tag: string): string {
  return mkdtempSync(join(tmpdir(), `fleet-${tag}-`));
}

export { fleetOnLab as fleet, statuses, tally } from '../support/cli.js';

/** The members of a host's ban set (as ipset prints them). */
export async function setMembers(lab: LabInfo, host: string, family: 4 | 6 = 4): Promise<string[]> {
  const r = await labHostExec(lab, host, ['ipset', 'list', `fleet-bans${family}`]);
  if (!r.ok) return [];
  const text = r.stdout.split('Members:\n')[1] ?? '';
  return text
    .split('\n')
    .filter(Boolean)
    .map((m) => m.replace(/ timeout \d+$/, ''))
    .sort();
}

/** An address of the lab's subnets that no host or workstation uses (x.x.x.N, prefix::N). */
export function labAddress(lab: LabInfo, n: number, family: 4 | 6): string {
  if (family === 4) return lab.subnet.replace(/\.0\/24$/, `.${n}`);
  return `${lab.subnet6.replace(/::\/64$/, '::')}${n.toString(16)}`;
}
