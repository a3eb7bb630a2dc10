/**
 * Simulated mode (`--simulate`): fleet against thousands of ssh2 servers on loopback addresses
 * answering from recordings of real lab hosts (sim/server.ts), to take the scaling curve past
 * the hosts this machine can run for real. Only fleet's own cgroup is measured: the servers'
 * CPU and memory are not in it. `--record` makes the recording from a small real lab.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labDown, labUp } from '../../src/lab/index.js';
import { Bench } from './compare.js';
import { measure } from './measure.js';
import { loadLine, summarize } from './report.js';
import { type ScaleOptions, type ScaleRow, scaleAt, scaleTable } from './scale.js';
import type { Recording } from './sim/recording.js';
import { type SimHost, startSimServer } from './sim/server.js';
import { simAddress } from './split.js';
import { type BenchHost, hostSet, REPO_ROOT, removeWorkspace, type Workspace } from './workspace.js';

export const RECORDING = join(REPO_ROOT, 'bench', 'fixtures', 'sim-recording.json');
const SERVER_BIN = join(REPO_ROOT, '.fleet', 'bench', 'bench', 'sim-server.js');
const PORT = 22;
/** Addresses per server process (each holds a listener and a connection per address). */
const PER_PROCESS = 2500;

/** An ed25519 key pair by OpenSSH's ssh-keygen; returns the public line. */
function keygen(path: string): string {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'fleet-bench-sim', '-f', path], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** A workspace of `total` simulated hosts: one host key for all, a client key, known_hosts. */
function simWorkspace(total: number): Workspace & { hostKey: string; clientPub: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bench-sim-'));
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'inventory'), { recursive: true });
  cpSync(join(REPO_ROOT, 'profiles'), join(repo, 'profiles'), { recursive: true });
  const hostKey = join(dir, 'host_ed25519');
  const hostPub = keygen(hostKey).split(' ').slice(0, 2).join(' ');
  const identity = join(dir, 'id_ed25519');
  keygen(identity);
  const hosts: BenchHost[] = Array.from({ length: total }, (_, i) => ({
    name: `sim-${String(i + 1).padStart(5, '0')}`,
    address: simAddress(i),
    address6: `fd00:213::${(i + 1).toString(16)}`,
    netns: '',
    pid: 0,
    groups: ['bench'],
    identity,
  }));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, hosts.map((h) => `${h.address} ${hostPub}\n`).join(''));
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(sshConfig, '');
  return {
    dir,
    repo,
    labs: [],
    knownHosts,
    sshConfig,
    hosts,
    managementSources: ['127.0.0.1/32'],
    hostKey,
    clientPub: `${identity}.pub`,
  };
}

interface Servers {
  unknown: number;
  stop(): Promise<string[]>;
}

/** The simulated hosts in ceil(total / 2500) node processes, each listening on its share. */
async function startServers(
  ws: ReturnType<typeof simWorkspace>,
  recordingPath: string,
  log: (s: string) => void,
): Promise<Servers> {
  const state: Servers = { unknown: 0, stop: async () => [] };
  const procs: { child: ChildProcess; out: () => string }[] = [];
  for (let i = 0; i < ws.hosts.length; i += PER_PROCESS) {
    const hosts: SimHost[] = ws.hosts.slice(i, i + PER_PROCESS).map((h) => ({
      name: h.name,
      address: h.address,
      address6: h.address6,
    }));
    const cfg = join(ws.dir, `sim-${i}.json`);
    writeFileSync(
      cfg,
      JSON.stringify({ hosts, port: PORT, hostKey: ws.hostKey, clientPub: ws.clientPub, recordingPath }),
    );
    const child = spawn('node', [SERVER_BIN, cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
    });
    child.stderr.on('data', (b: Buffer) => {
      const text = b.toString('utf8');
      state.unknown += (text.match(/^UN(KNOWN|FILLABLE)/gm) ?? []).length;
      for (const line of text.split('\n').filter(Boolean)) log(`simulated hosts: ${line}`);
    });
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (out.includes('ready')) {
          clearInterval(t);
          resolve();
        }
      }, 50);
      child.once('exit', (code) => {
        clearInterval(t);
        reject(new Error(`simulated host server exited ${code} before it was ready`));
      });
    });
    procs.push({ child, out: () => out });
  }
  log(`${ws.hosts.length} simulated hosts listening in ${procs.length} process(es)`);
  let stopped: string[] | undefined;
  state.stop = async () => {
    if (stopped) return stopped;
    const lines: string[] = [];
    stopped = lines;
    for (const p of procs) {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        const gone = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        await gone;
      }
      lines.push(p.out().trim().split('\n').pop() ?? '');
    }
    return lines;
  };
  return state;
}

export interface SimulateOptions {
  sizes: number[];
  options: ScaleOptions;
  concurrency?: number;
  command: string;
  header: (title: string, lines: string[]) => string;
  log: (s: string) => void;
}

export async function simulate(o: SimulateOptions): Promise<string> {
  const recording = JSON.parse(readFileSync(RECORDING, 'utf8')) as Recording;
  const max = Math.max(...o.sizes);
  const ws = simWorkspace(max);
  const servers = await startServers(ws, RECORDING, o.log);
  try {
    let seen = 0;
    const noUnknown = () => {
      const n = servers.unknown - seen;
      seen = servers.unknown;
      return n > 0 ? `${n} request(s) had no recording (simulated hosts)` : undefined;
    };
    const one = new Bench(ws, hostSet(ws, 1), { reps: o.options.reps, concurrency: 1, log: o.log });
    one.useVariant(0);
    const fixedRow = { id: 'fixed', group: '1', label: 'fleet facts (1 host)', samples: [] };
    for (let i = 0; i < o.options.reps; i++)
      await one.sample(fixedRow, one.tools.fleet(['facts', 'all']), () => noUnknown());
    const results: ScaleRow[] = [];
    for (const n of o.sizes) {
      const b = new Bench(ws, hostSet(ws, n), {
        reps: o.options.reps,
        concurrency: o.concurrency ?? n,
        log: o.log,
      });
      results.push(await scaleAt(b, { ...o.options, extraCheck: noUnknown }));
    }
    const stats = await servers.stop();
    const table = scaleTable(results, summarize(fixedRow));
    return [
      o.header(`fleet bench --simulate: ${o.sizes.join(', ')} SIMULATED hosts, ${o.options.reps} runs each`, [
        "SIMULATED: the hosts are ssh2 servers on 127.213.x.y:22 answering fleet's scripts from " +
          "bench/fixtures/sim-recording.json (real lab hosts' answers), not real hosts; no host runs " +
          'iptables, so wall times say nothing about a real fleet',
        "measured: fleet's own cgroup only (CPU, peak memory); the servers run in other processes, outside it, and their CPU is excluded (it still competes for the same 2 cores, so wall is pessimistic)",
        `concurrency: ${o.concurrency ?? 'the host count'}; servers: ${stats.join('; ')}`,
        `load: ${loadLine(results.flatMap((r) => r.rows))}`,
        `recording: ${recording.made}, ${Object.keys(recording.entries).length} requests`,
      ]),
      table,
      '',
      '```',
      o.command,
      '```',
      '',
    ].join('\n');
  } finally {
    await servers.stop().catch(() => undefined);
    removeWorkspace(ws);
  }
}

/** `--record`: a 2-host real lab, fleet facts/ban/unban through recording servers, saved. */
export async function record(labName: string, log: (s: string) => void): Promise<void> {
  const name = `${labName}rec`;
  const lab = await labUp({ name, count: 2, group: 'bench' });
  const ws = simWorkspace(2);
  let server: Awaited<ReturnType<typeof startSimServer>> | undefined;
  try {
    const known = readFileSync(lab.knownHostsPath, 'utf8').split('\n');
    const hosts: SimHost[] = ws.hosts.map((h, i) => {
      const up = lab.hosts[i]!;
      const line = known.find((l) => (l.split(' ')[0] ?? '').split(',').includes(up.address));
      if (!line) throw new Error(`no host key for ${up.address} in ${lab.knownHostsPath}`);
      return {
        name: h.name,
        address: h.address,
        address6: h.address6,
        upstream: { name: up.name, address: up.address, address6: up.address6, hostKey: line.split(' ')[2]! },
      };
    });
    server = await startSimServer({
      hosts,
      port: PORT,
      hostKey: ws.hostKey,
      clientPub: readFileSync(ws.clientPub, 'utf8'),
      upstreamIdentity: lab.identityPath,
      log,
    });
    const b = new Bench(ws, hostSet(ws, 2), { reps: 1, concurrency: 2, log });
    b.useVariant(0);
    const runs = [
      ['facts', 'all'],
      ['ban', '198.51.100.100', '--reason', 'bench'],
      ['unban', '198.51.100.100'],
      ['ban', '198.51.100.101', '--reason', 'bench'],
      ['unban', '198.51.100.101'],
      ['facts', 'all'],
    ];
    for (const args of runs) {
      const m = await measure(b.tools.fleet(args).argv);
      log(`recorded fleet ${args.join(' ')}: exit ${m.code}`);
      if (m.code !== 0)
        throw new Error(`fleet ${args.join(' ')} failed while recording: ${m.stderr || m.stdout}`);
    }
    const out: Recording = {
      note:
        "Answers of real lab hosts (Debian base root, no fleet apply) to fleet's facts, ban and unban requests, made by " +
        '`npm run bench -- --record`: fleet ran against ssh2 servers on 127.213.0.1-2 that forwarded every exec ' +
        '(command and stdin) to a 2-host lab over SSH and stored the answers as templates (bench/lib/sim/recording.ts). ' +
        `Built CLI: .fleet/bench/bench/fleet.js (the bench build of this checkout). Re-record after a change to fleet's facts or ban scripts.`,
      made: new Date().toISOString(),
      entries: server.recorded,
    };
    mkdirSync(join(REPO_ROOT, 'bench', 'fixtures'), { recursive: true });
    writeFileSync(RECORDING, `${JSON.stringify(out, null, 2)}\n`);
    log(`written: ${RECORDING} (${Object.keys(out.entries).length} requests)`);
  } finally {
    await server?.close();
    removeWorkspace(ws);
    await labDown(name).catch(() => undefined);
  }
}
