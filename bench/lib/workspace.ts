/**
 * The bench's labs and its working folder: one lab of up to 214 hosts, or two side by side for
 * more (a lab is one /24); a fleet repository (profiles/ and inventory/ for bans.yaml), and for
 * each host count a native inventory, a pssh host file and an Ansible INI inventory, all written
 * from the labs' own records, so every tool targets exactly the lab hosts with their own keys
 * and known_hosts.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { type LabHost, type LabInfo, labDown, labUp } from '../../src/lab/index.js';

export const MAX_PER_LAB = 214;
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
}

/** Lab sizes for `total` hosts: one lab, or two halves. */
export function labSizes(total: number): number[] {
  if (total <= MAX_PER_LAB) return [total];
  if (total > 2 * MAX_PER_LAB) throw new Error(`bench: at most ${2 * MAX_PER_LAB} hosts (two labs)`);
  const a = Math.ceil(total / 2);
  return [a, total - a];
}

export const LAB_NAMES = ['bench', 'bench2'];

export async function labsUp(
  total: number,
  log: (s: string) => void,
  names: readonly string[] = LAB_NAMES,
): Promise<LabInfo[]> {
  const labs: LabInfo[] = [];
  const sizes = labSizes(total);
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
  writeFileSync(
    sshConfig,
    `${labs
      .map((l) => `Host ${l.subnet.replace(/\.0\/24$/, '.*')}\n  IdentityFile ${l.identityPath}\n`)
      .join('')}Host *\n  IdentitiesOnly yes\n  BatchMode yes\n`,
  );
  const hosts = labs.flatMap((l) => l.hosts.map((h) => ({ ...h, identity: l.identityPath })));
  return { dir, repo, labs, knownHosts, sshConfig, hosts };
}

export function removeWorkspace(ws: Workspace): void {
  rmSync(ws.dir, { recursive: true, force: true });
}

/** The first `count` hosts, taken alternately from each lab so both labs share the load. */
export function hostSet(ws: Workspace, count: number): HostSet {
  const perLab = ws.labs.map((l) => ws.hosts.filter((h) => l.hosts.some((x) => x.name === h.name)));
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
      management_sources: ws.labs.flatMap((l) => [`${l.workstation.v4}/32`, `${l.workstation.v6}/128`]),
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
