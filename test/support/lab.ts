/**
 * Lab hosts for tests: `const lab = useLab({ name: 'tlab', count: 3 })` brings a lab up in
 * beforeAll and down in afterAll; `lab()` is its LabInfo. Where the lab cannot run (not root, a
 * package missing) every test of the file is skipped with the reason, unless
 * FLEET_LAB_REQUIRED=1 (CI), where that fails instead. Lab names must be unique per test file;
 * FLEET_TEST_LAB_PREFIX (e.g. "w1") is put before each, so two checkouts can run their tests at once.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { run } from '../../src/lab/exec.js';
import { type LabInfo, labDown, labUnavailableReason, labUp } from '../../src/lab/index.js';

export interface UseLabOptions {
  name: string;
  count: number;
  hidden?: number;
  group?: string;
  /** The last N hosts of the RPM flavour (src/lab/rpm-flavor.ts). */
  rpm?: number;
}

/** Why the lab can't run here (undefined: it can); throws under FLEET_LAB_REQUIRED=1. */
export async function labSkipReason(): Promise<string | undefined> {
  const reason = await labUnavailableReason();
  if (reason && process.env.FLEET_LAB_REQUIRED === '1') {
    throw new Error(`FLEET_LAB_REQUIRED=1 but the lab cannot run here: ${reason}`);
  }
  return reason;
}

/** Skip every test of the file (from beforeEach) when the lab can't run. */
export function skipWithoutLab(): { reason: () => string | undefined } {
  let reason: string | undefined;
  beforeAll(async () => {
    reason = await labSkipReason();
  });
  beforeEach((ctx) => {
    if (reason) ctx.skip(`lab unavailable: ${reason}`);
  });
  return { reason: () => reason };
}

/** The lab name a test file asks for, with this checkout's FLEET_TEST_LAB_PREFIX before it. */
export function testLabName(name: string): string {
  return `${process.env.FLEET_TEST_LAB_PREFIX ?? ''}${name}`;
}

export function useLab(opts: UseLabOptions): () => LabInfo {
  const name = testLabName(opts.name);
  let info: LabInfo | undefined;
  let reason: string | undefined;
  beforeAll(async () => {
    reason = await labSkipReason();
    if (reason) return;
    info = await labUp({ name, count: opts.count, hidden: opts.hidden, group: opts.group, rpm: opts.rpm });
  }, 900_000);
  afterAll(async () => {
    if (info) await labDown(name);
  }, 300_000);
  beforeEach((ctx) => {
    if (reason) ctx.skip(`lab unavailable: ${reason}`);
  });
  return () => {
    if (!info) throw new Error(`lab ${name} is not up`);
    return info;
  };
}

/** Options of the real OpenSSH client for a lab: strict host keys from the lab's known_hosts. */
export function sshOptions(lab: LabInfo, timeoutS = 10): string[] {
  return [
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${lab.knownHostsPath}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${timeoutS}`,
    '-o',
    'IdentitiesOnly=yes',
    '-F',
    '/dev/null',
    '-i',
    lab.identityPath,
  ];
}

/** Run a command on a lab host through the real `ssh` client. */
export function labSsh(
  lab: LabInfo,
  address: string,
  command: string,
  o: { user?: string; extra?: string[]; timeoutMs?: number; input?: string } = {},
) {
  return run('ssh', [...sshOptions(lab), ...(o.extra ?? []), `${o.user ?? 'root'}@${address}`, command], {
    timeoutMs: o.timeoutMs ?? 60_000,
    input: o.input,
  });
}
