/**
 * The lab: real hosts on this machine, in network namespaces. `labUp`, `labDown`, `labStatus`,
 * and the helpers tests use (`labHostExec`, `labStopSshd`, `labStartSshd`, `labProbe`).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { FleetError, InputError } from '../errors.js';
import { type LabPlan, planLab } from './addressing.js';
import { ensureBaseRoot } from './base-root.js';
import type { RunOptions, RunResult } from './exec.js';
import { removeTree, unmountUnder } from './fs-safe.js';
import {
  BOOT_SCRIPT,
  execInHost,
  generateKey,
  hostDir,
  isOurs,
  killNetnsStragglers,
  prepareHost,
  readPidRecord,
  sshdPidFile,
  startHost,
  stopHost,
  writeLabLayer,
} from './host.js';
import { renderInventory, renderKnownHosts } from './inventory-writer.js';
import { withLock } from './lock.js';
import { addGuardRoutes, checkSubnetFree, createNetwork, findLabNetwork, removeNetwork } from './network.js';
import { DEFAULT_LAB, labDir, validateLabName } from './paths.js';
import { checkPrerequisites } from './prereq.js';
import { allocateLab, findAllocation } from './registry.js';
import { type LabHost, type LabInfo, type LabState, readState, toInfo, writeState } from './state.js';
import { readBanner, readBannerInNetns } from './status.js';

export { DEFAULT_LAB } from './paths.js';
export { labUnavailableReason } from './prereq.js';
export { labProbe, type ProbeOptions } from './probe.js';
export type { LabHost, LabInfo } from './state.js';

export interface LabUpOptions {
  name?: string;
  /** Visible hosts (default 5). */
  count?: number;
  /** IPv4 /24; default: a free /24 of 10.213.0.0/16, kept for the lab's name. */
  subnet?: string;
  /** Hosts on a second bridge that only host 1 (the bastion) reaches. */
  hidden?: number;
  /** Put every visible host in this one group instead of bastion/web-servers/db-servers. */
  group?: string;
  /** The last N visible hosts are of the RPM flavour (dnf, yum, /etc/sysconfig; docs/lab.md). */
  rpm?: number;
  /** Also copy the inventory here. */
  inventoryOut?: string;
  /** Progress lines (the CLI prints them). */
  log?: (line: string) => void;
}

const READY_TIMEOUT_MS = 60_000;

export async function labUp(opts: LabUpOptions = {}): Promise<LabInfo> {
  const name = validateLabName(opts.name ?? DEFAULT_LAB);
  const count = opts.count ?? 5;
  const hidden = opts.hidden ?? 0;
  if (opts.group !== undefined && !/^[a-z][a-z0-9_-]{0,62}$/.test(opts.group)) {
    throw new InputError(`group "${opts.group}" is not a valid group name`);
  }
  const log = opts.log ?? (() => {});
  await checkPrerequisites({ build: false });
  // Validate the shape before allocating anything.
  planLab({
    name,
    id: 0,
    subnet: opts.subnet ?? '10.213.0.0/24',
    count,
    hidden,
    group: opts.group,
    rpm: opts.rpm,
  });
  const alloc = await allocateLab(name, opts.subnet);
  const plan = planLab({
    name,
    id: alloc.id,
    subnet: alloc.subnet,
    count,
    hidden,
    group: opts.group,
    rpm: opts.rpm,
  });
  // Never a subnet that a route of this machine already covers (the uplink's, a VPN's...).
  await checkSubnetFree(plan);
  // Safety first: the guard routes exist before any link, namespace or process of the lab.
  await addGuardRoutes(plan.subnet, plan.subnet6);
  const bases: Bases = { debian: await ensureBaseRoot(log) };
  if (plan.hosts.some((h) => h.flavor === 'rpm')) bases.rpm = await ensureBaseRoot(log, 'rpm');
  const dir = labDir(name);
  await mkdir(dir, { recursive: true });
  return withLock(join(dir, 'lock'), 10 * 60_000, async () => {
    const existing = await readState(name);
    if (existing && sameShape(existing, plan, opts.group) && (await healthy(existing))) {
      log(`lab ${name}: already up (${existing.hosts.length} hosts)`);
      if (opts.inventoryOut) await copyInventory(existing.inventoryPath, opts.inventoryOut);
      return toInfo(existing);
    }
    await teardown(name, alloc.id);
    try {
      const info = await build(plan, bases, dir, log, opts.group);
      if (opts.inventoryOut) await copyInventory(info.inventoryPath, opts.inventoryOut);
      return info;
    } catch (e) {
      await teardown(name, alloc.id).catch(() => {});
      throw e;
    }
  });
}

function sameShape(s: LabState, plan: LabPlan, group: string | undefined): boolean {
  return (
    s.subnet === plan.subnet &&
    s.hosts.length === plan.hosts.length &&
    s.hiddenCount === plan.hosts.filter((h) => h.hidden).length &&
    s.hosts.filter((h) => h.flavor === 'rpm').length ===
      plan.hosts.filter((h) => h.flavor === 'rpm').length &&
    s.group === group
  );
}

async function healthy(s: LabState): Promise<boolean> {
  for (const h of s.hosts) {
    const rec = await readPidRecord(s.stateDir, h.name);
    if (!rec || rec.pid !== h.pid || !(await isOurs(rec)) || !(await sshdPidFile(rec))) return false;
  }
  return true;
}

async function copyInventory(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
}

/** The base root of each flavour the lab uses. */
interface Bases {
  debian: string;
  rpm?: string;
}

async function build(
  plan: LabPlan,
  bases: Bases,
  dir: string,
  log: (l: string) => void,
  group: string | undefined,
): Promise<LabInfo> {
  const t0 = Date.now();
  const identityPath = join(dir, 'id_ed25519');
  if (!existsSync(identityPath)) {
    await generateKey(identityPath, `fleet-lab-${plan.name}`);
  }
  const clientPub = await readFile(`${identityPath}.pub`, 'utf8');
  // One lab layer per flavour: its folders mirror that base's owners and modes.
  const lowerdirs: Record<string, string> = {};
  for (const [flavor, base] of Object.entries(bases) as Array<[keyof Bases, string]>) {
    const layer = join(dir, flavor === 'debian' ? 'layer' : `layer-${flavor}`);
    await writeLabLayer(layer, base, clientPub);
    lowerdirs[flavor] = `${layer}:${base}`;
  }
  const bootPath = join(dir, 'boot.sh');
  await writeFile(bootPath, BOOT_SCRIPT, { mode: 0o755 });
  const limit = pLimit(16);
  const keys = await Promise.all(plan.hosts.map((h) => limit(() => prepareHost(dir, h))));

  await createNetwork(plan);
  const recs = await Promise.all(
    plan.hosts.map((h) => limit(() => startHost(dir, bootPath, lowerdirs[h.flavor ?? 'debian']!, h))),
  );

  const hosts: LabHost[] = plan.hosts.map((h, i) => ({
    name: h.name,
    address: h.address,
    address6: h.address6,
    netns: h.netns,
    pid: recs[i]!.pid,
    ...(h.hidden ? { hidden: true } : {}),
    groups: h.groups,
    ...(h.proxyJump ? { proxyJump: h.proxyJump } : {}),
    ...(h.second ? { inner: { address: h.second.address, address6: h.second.address6 } } : {}),
    ...(h.flavor ? { flavor: h.flavor } : {}),
  }));
  const state: LabState = {
    name: plan.name,
    id: plan.id,
    subnet: plan.subnet,
    subnet6: plan.subnet6,
    workstation: plan.workstation,
    hosts,
    stateDir: dir,
    identityPath,
    knownHostsPath: join(dir, 'known_hosts'),
    inventoryPath: join(dir, 'inventory.yaml'),
    count: plan.hosts.filter((h) => !h.hidden).length,
    hiddenCount: plan.hosts.filter((h) => h.hidden).length,
    group,
    bridges: [plan.bridge, ...(plan.hiddenBridge ? [plan.hiddenBridge] : [])],
    upAt: new Date().toISOString(),
  };
  // Written before waiting, so `down` finds every process even if the wait fails.
  await writeState(state);
  await writeFile(
    state.knownHostsPath,
    renderKnownHosts(hosts.map((h, i) => ({ ...h, publicKey: keys[i]!.publicKey }))),
  );
  await writeFile(state.inventoryPath, renderInventory(state));

  await waitReady(state, log);
  log(`lab ${plan.name}: ${hosts.length} hosts up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return toInfo(state);
}

async function waitReady(s: LabState, log: (l: string) => void): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS + 300 * s.hosts.length;
  const pending = new Set(s.hosts.map((h) => h.name));
  while (pending.size > 0) {
    const limit = pLimit(32);
    await Promise.all(
      s.hosts
        .filter((h) => pending.has(h.name))
        .map((h) =>
          limit(async () => {
            const rec = await readPidRecord(s.stateDir, h.name);
            if (!rec || !(await sshdPidFile(rec))) return;
            const banner = h.hidden
              ? await readBannerInNetns(h.netns, h.address)
              : await readBanner(h.address, 22, 2000);
            if (banner) pending.delete(h.name);
          }),
        ),
    );
    if (pending.size === 0) break;
    if (Date.now() > until) {
      const first = [...pending][0]!;
      const logText = await readFile(join(hostDir(s.stateDir, first), 'log'), 'utf8').catch(() => '');
      throw new FleetError(
        `lab ${s.name}: ${pending.size} host(s) did not answer SSH in time (first: ${first}): ${logText.trim().split('\n').slice(-2).join(' | ')}`,
        { exitCode: 4 },
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`lab ${s.name}: every sshd answers`);
}

/** Stop every process the lab started, remove its namespaces and links, drop host dirs.
 * Leaves the guard routes, the client key and the allocation. Idempotent. */
async function teardown(name: string, id: number): Promise<void> {
  const dir = labDir(name);
  const state = await readState(name);
  const hostNames = new Set(state?.hosts.map((h) => h.name) ?? []);
  const hostsDir = join(dir, 'hosts');
  if (existsSync(hostsDir)) {
    for (const n of await readdir(hostsDir)) hostNames.add(n);
  }
  const limit = pLimit(16);
  await Promise.all(
    [...hostNames].map((h) =>
      limit(async () => {
        const rec = await readPidRecord(dir, h);
        if (rec) await stopHost(rec);
      }),
    ),
  );
  const net = await findLabNetwork(name, id);
  for (const ns of net.netns) await killNetnsStragglers(ns);
  await removeNetwork(net);
  await unmountUnder(dir);
  await removeTree(hostsDir);
  await rm(join(dir, 'state.json'), { force: true });
}

export async function labDown(name: string = DEFAULT_LAB): Promise<void> {
  validateLabName(name);
  await checkPrerequisites({ build: false });
  const alloc = await findAllocation(name);
  if (!alloc) return;
  const dir = labDir(name);
  await mkdir(dir, { recursive: true });
  await withLock(join(dir, 'lock'), 10 * 60_000, () => teardown(name, alloc.id));
}

export interface HostStatus {
  name: string;
  address: string;
  address6: string;
  hidden: boolean;
  running: boolean;
  sshd: boolean;
  banner?: string;
}

export interface LabStatus {
  name: string;
  up: boolean;
  subnet?: string;
  subnet6?: string;
  hosts: HostStatus[];
}

export async function labStatus(name: string = DEFAULT_LAB): Promise<LabStatus> {
  validateLabName(name);
  const s = await readState(name);
  if (!s) {
    const alloc = await findAllocation(name);
    return { name, up: false, subnet: alloc?.subnet, hosts: [] };
  }
  const limit = pLimit(32);
  const hosts = await Promise.all(
    s.hosts.map((h) =>
      limit(async (): Promise<HostStatus> => {
        const rec = await readPidRecord(s.stateDir, h.name);
        const running = !!rec && rec.pid === h.pid && (await isOurs(rec));
        const banner = !running
          ? undefined
          : h.hidden
            ? await readBannerInNetns(h.netns, h.address)
            : await readBanner(h.address, 22, 3000);
        return {
          name: h.name,
          address: h.address,
          address6: h.address6,
          hidden: !!h.hidden,
          running,
          sshd: !!banner,
          ...(banner ? { banner } : {}),
        };
      }),
    ),
  );
  return { name, up: true, subnet: s.subnet, subnet6: s.subnet6, hosts };
}

async function hostRecord(lab: LabInfo, host: string) {
  const h = lab.hosts.find((x) => x.name === host);
  if (!h) throw new InputError(`lab ${lab.name} has no host "${host}"`);
  const rec = await readPidRecord(lab.stateDir, host);
  if (!rec || rec.pid !== h.pid) throw new FleetError(`lab: host ${host} is not running`);
  return rec;
}

/** Run argv inside a lab host, as root (test set-up only: fleet itself goes over SSH). */
export async function labHostExec(
  lab: LabInfo,
  host: string,
  argv: string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  return execInHost(await hostRecord(lab, host), argv, opts);
}

export type SshdSignal = 'TERM' | 'KILL' | 'STOP' | 'CONT';

/** Signal the host's listening sshd (TERM/KILL stop it, STOP freezes it, CONT thaws it). */
export async function labStopSshd(lab: LabInfo, host: string, signal: SshdSignal = 'TERM'): Promise<void> {
  if (!['TERM', 'KILL', 'STOP', 'CONT'].includes(signal)) throw new InputError(`bad signal ${signal}`);
  const r = await labHostExec(lab, host, ['sh', '-c', 'kill -s "$1" "$(cat /run/sshd.pid)"', 'sh', signal]);
  if (!r.ok) throw new FleetError(`lab: could not signal sshd on ${host}: ${r.stderr.trim()}`);
  if (signal === 'TERM' || signal === 'KILL') {
    await labHostExec(lab, host, [
      'sh',
      '-c',
      'for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$(cat /run/sshd.pid)" 2>/dev/null || break; sleep 0.2; done; rm -f /run/sshd.pid',
    ]);
  }
}

/** Start the host's sshd again (after labStopSshd). */
export async function labStartSshd(lab: LabInfo, host: string): Promise<void> {
  const r = await labHostExec(lab, host, ['/usr/sbin/sshd', '-E', '/var/log/sshd.log']);
  if (!r.ok) throw new FleetError(`lab: could not start sshd on ${host}: ${r.stderr.trim()}`);
  const h = lab.hosts.find((x) => x.name === host)!;
  for (let i = 0; i < 50; i++) {
    const banner = h.hidden
      ? await readBannerInNetns(h.netns, h.address)
      : await readBanner(h.address, 22, 1000);
    if (banner) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new FleetError(`lab: sshd on ${host} does not answer after restart`);
}

/** The LabInfo of a lab that is up, or undefined. */
export async function labInfo(name: string = DEFAULT_LAB): Promise<LabInfo | undefined> {
  const s = await readState(validateLabName(name));
  return s ? toInfo(s) : undefined;
}
