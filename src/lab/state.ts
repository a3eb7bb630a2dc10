/** A lab's record on disk: /var/lib/fleet-lab/<name>/state.json, and the types others use. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labDir } from './paths.js';

export interface LabHost {
  name: string;
  address: string;
  address6: string;
  netns: string;
  /** Pid of the host's outer process (unshare); its child is the host's pid 1. */
  pid: number;
  hidden?: boolean;
  groups: string[];
  proxyJump?: string;
  /** The bastion's addresses on the hidden segment: what hosts behind it see SSH come from. */
  inner?: { address: string; address6: string };
  /** An RPM-flavour host (dnf/yum, /etc/sysconfig); Debian when absent. */
  flavor?: 'rpm';
}

export interface LabInfo {
  name: string;
  subnet: string;
  subnet6: string;
  workstation: { v4: string; v6: string };
  hosts: LabHost[];
  stateDir: string;
  identityPath: string;
  knownHostsPath: string;
  inventoryPath: string;
}

export interface LabState extends LabInfo {
  id: number;
  count: number;
  hiddenCount: number;
  group?: string;
  bridges: string[];
  upAt: string;
}

export function statePath(name: string): string {
  return join(labDir(name), 'state.json');
}

export async function readState(name: string): Promise<LabState | undefined> {
  try {
    return JSON.parse(await readFile(statePath(name), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export async function writeState(s: LabState): Promise<void> {
  const p = statePath(s.name);
  await writeFile(`${p}.tmp`, `${JSON.stringify(s, null, 2)}\n`);
  await rename(`${p}.tmp`, p);
}

/** The public part of the state. */
export function toInfo(s: LabState): LabInfo {
  return {
    name: s.name,
    subnet: s.subnet,
    subnet6: s.subnet6,
    workstation: s.workstation,
    hosts: s.hosts,
    stateDir: s.stateDir,
    identityPath: s.identityPath,
    knownHostsPath: s.knownHostsPath,
    inventoryPath: s.inventoryPath,
  };
}
