/**
 * The bench's labs and its working folder: labs of up to 200 hosts side by side (a lab is one
 * /24), one inventory across them; a fleet repository (profiles/ and inventory/ for bans.yaml), and for
 * each host count a native inventory, a pssh host file and an Ansible INI inventory, all written
 * from the labs' own records, so every tool targets exactly the lab hosts with their own keys
 * and known_hosts.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { type LabHost, type LabInfo, labDown, labUp } from '../../src/lab/index.js';
import { LAB_HOST_MB, labNames, labSizes, memoryPlan, PER_LAB } from './split.js';
import { availableMB, raiseNeighbourTables } from './system.js';

/** The fleet checkout (scripts/bench.sh runs from it). */
export const REPO_ROOT = resolve(process.env.FLEET_REPO ?? process.cwd());

export interface BenchHost extends LabHost {
  identity: string;
}

export interface HostSet {
  count: number;
  /** Native fleet inventory (a directory with one file: `-i`). */
  inventory: string;
  /** pssh host file: one address per line. */
  psshHosts: string;
  /** Ansible INI inventory. */
  ansibleInventory: string;
  hosts: BenchHost[];
}

export interface Workspace {
  dir: string;
  /** The fleet repository (-C): profiles/, inventory/bans.yaml, reports/, backups/. */
  repo: string;
  labs: LabInfo[];
  knownHosts: string;
  /** ssh_config giving each lab's hosts that lab's client key (pssh -x "-F ..."). */
  sshConfig: string;
  hosts: BenchHost[];
  /** The inventory's management_sources: where fleet's connections come from. */
  managementSources: string[];
}

/**
 * ceil(total / perLab) labs (200 by default) side by side (split.ts), brought up one after the other (each
 * bring-up already uses both cores; the base root is built once, by the first), after a memory
 * check; their names are `prefix`, `prefix2`, ... Logs the bring-up time per host and the memory
 * the machine lost per host.
 */
export async function labsUp(
  total: number,
  prefix: string,
  log: (s: string) => void,
  perLab = PER_LAB,
): Promise<LabInfo[]> {
  const sizes = labSizes(total, perLab);
  const names = labNames(prefix, sizes.length);
  const before = availableMB();
  const plan = memoryPlan(total, before);
  if (!plan.ok)
    throw new Error(
      `bench: ${total} lab hosts need about ${(plan.needMB / 1024).toFixed(1)} GB (${LAB_HOST_MB} MB per lab host, measured; ` +
        `plus the tools and a reserve) and this machine has ${(before / 1024).toFixed(1)} GB available: ` +
        `use --sizes up to ${plan.maxHosts}, or --simulate for more hosts`,
    );
  await raiseNeighbourTables(total, log);
  const labs: LabInfo[] = [];
  const t0 = Date.now();
  try {
    for (const [i, count] of sizes.entries()) {
      const name = names[i]!;
      const t = Date.now();
      labs.push(await labUp({ name, count, group: 'bench' }));
      log(`lab ${name}: ${count} hosts up in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    }
  } catch (err) {
    await labsDown(labs.map((l) => l.name));
    throw err;
  }
  const s = (Date.now() - t0) / 1000;
  const lost = before - availableMB();
  log(
    `${total} hosts in ${labs.length} lab(s) up in ${s.toFixed(1)} s (${((s / total) * 1000).toFixed(0)} ms per host); ` +
      `available memory fell ${(lost / total).toFixed(1)} MB per host`,
  );
  return labs;
}

export async function labsDown(names: string[]): Promise<void> {
  for (const name of names) await labDown(name).catch(() => undefined);
}

export function makeWorkspace(labs: LabInfo[]): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'inventory'), { recursive: true });
  cpSync(join(REPO_ROOT, 'profiles'), join(repo, 'profiles'), { recursive: true });
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, labs.map((l) => readFileSync(l.knownHostsPath, 'utf8')).join(''));
  const sshConfig = join(dir, 'ssh_config');
  // ConnectTimeout 300 for every tool, as pssh's -t 300: with 100+ hosts sharing this machine's 2 cores,
  // a handshake can take longer than fleet's default 10 s, and a host lost to that measures nothing.
  writeFileSync(
    sshConfig,
    `${labs
      .map((l) => `Host ${l.subnet.replace(/\.0\/24$/, '.*')}\n  IdentityFile ${l.identityPath}\n`)
      .join('')}Host *\n  IdentitiesOnly yes\n  BatchMode yes\n  ConnectTimeout 300\n`,
  );
  const hosts = labs.flatMap((l) => l.hosts.map((h) => ({ ...h, identity: l.identityPath })));
  const managementSources = labs.flatMap((l) => [`${l.workstation.v4}/32`, `${l.workstation.v6}/128`]);
  return { dir, repo, labs, knownHosts, sshConfig, hosts, managementSources };
}

export function removeWorkspace(ws: Workspace): void {
  rmSync(ws.dir, { recursive: true, force: true });
}

/** The first `count` hosts, taken alternately from each lab so both labs share the load. */
export function hostSet(ws: Workspace, count: number): HostSet {
  const perLab = ws.labs.length
    ? ws.labs.map((l) => ws.hosts.filter((h) => l.hosts.some((x) => x.name === h.name)))
    : [ws.hosts];
  const picked: BenchHost[] = [];
  for (let i = 0; picked.length < count; i++) {
    const before = picked.length;
    for (const list of perLab) if (list[i] && picked.length < count) picked.push(list[i]!);
    if (picked.length === before) throw new Error(`bench: only ${picked.length} hosts up, ${count} wanted`);
  }
  const base = join(ws.dir, `hosts-${count}`);
  mkdirSync(base, { recursive: true });
  const inventory = join(base, 'inventory');
  mkdirSync(inventory, { recursive: true });
  writeFileSync(join(inventory, 'bench.yaml'), nativeInventory(ws, picked));
  const psshHosts = join(base, 'pssh-hosts');
  writeFileSync(psshHosts, picked.map((h) => `${h.address}\n`).join(''));
  const ansibleInventory = join(base, 'ansible-hosts.ini');
  writeFileSync(ansibleInventory, ansibleIni(ws, picked));
  return { count, inventory, psshHosts, ansibleInventory, hosts: picked };
}

function nativeInventory(ws: Workspace, hosts: BenchHost[]): string {
  const doc = {
    settings: {
      known_hosts: ws.knownHosts,
      management_sources: ws.managementSources,
    },
    defaults: { user: 'root' },
    groups: { bench: { profile: 'bench' } },
    hosts: Object.fromEntries(
      hosts.map((h) => [
        h.name,
        { address: h.address, groups: ['bench'], identity: h.identity, vars: { address6: h.address6 } },
      ]),
    ),
  };
  return `# fleet bench: written from the labs' records\n${stringify(doc)}`;
}

function ansibleIni(ws: Workspace, hosts: BenchHost[]): string {
  const lines = ['[bench]'];
  for (const h of hosts)
    lines.push(`${h.name} ansible_host=${h.address} ansible_ssh_private_key_file=${h.identity}`);
  lines.push(
    '',
    '[bench:vars]',
    'ansible_user=root',
    'ansible_python_interpreter=/usr/bin/python3',
    `ansible_ssh_common_args='-F /dev/null -o UserKnownHostsFile=${ws.knownHosts} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes'`,
    '',
  );
  return lines.join('\n');
}
