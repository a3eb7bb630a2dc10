/**
 * Runs one command in its own transient cgroup and measures its whole process tree: wall
 * seconds (spawn to exit), CPU seconds (user + system of every process that was ever in the
 * group, from the kernel's accounting) and peak memory (the kernel's high-water mark of memory
 * charged to the group: anonymous memory of every process, plus page cache the tree itself
 * brought in, plus kernel memory). Nothing is sampled, so short-lived children (pssh's ssh
 * processes, Ansible's forks and ControlPersist masters) are counted exactly.
 *
 * cgroup v2 (memory.peak, cpu.stat) where the machine has a unified hierarchy with the memory
 * controller, below the root group; otherwise cgroup v1 (memory.max_usage_in_bytes,
 * cpuacct.usage_user/_sys), below the bench's own groups (so their accounting and limits still
 * cover them). Removed afterwards; processes the tool left behind in its group (Ansible's
 * ControlPersist masters) are ended by pid.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Measurement {
  wallS: number;
  cpuS: number;
  userS: number;
  sysS: number;
  peakMB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

interface Group {
  /** Directories the child joins (one per hierarchy). */
  dirs: string[];
  read(): { userS: number; sysS: number; peakBytes: number };
}

const CG = '/sys/fs/cgroup';
let counter = 0;

/** Our own group in a hierarchy, from /proc/self/cgroup (`ID:controllers:path`). */
function selfPath(match: (controllers: string) => boolean): string | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (path !== undefined && controllers !== undefined && match(controllers)) return path;
  }
  return undefined;
}

function num(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

function keyed(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v) out[k] = Number(v);
  }
  return out;
}

function makeGroup(): Group {
  const name = `fleet-bench-${process.pid}-${++counter}`;
  const v2 = join(CG, 'cgroup.controllers');
  if (existsSync(v2) && readFileSync(v2, 'utf8').includes('memory')) {
    // v2: below the root group (a group with processes of its own cannot give its children the
    // memory controller). Written for v2 but run here only on v1 (this machine): see README.
    const control = join(CG, 'cgroup.subtree_control');
    if (!readFileSync(control, 'utf8').includes('memory')) writeFileSync(control, '+memory');
    const dir = join(CG, name);
    mkdirSync(dir);
    return {
      dirs: [dir],
      read: () => {
        const s = keyed(join(dir, 'cpu.stat'));
        return {
          userS: (s.user_usec ?? 0) / 1e6,
          sysS: (s.system_usec ?? 0) / 1e6,
          peakBytes: num(join(dir, 'memory.peak')),
        };
      },
    };
  }
  const mem = join(CG, 'memory', selfPath((c) => c.split(',').includes('memory')) ?? '/', name);
  const cpu = join(CG, 'cpuacct', selfPath((c) => c.split(',').includes('cpuacct')) ?? '/', name);
  if (!existsSync(join(CG, 'memory')) || !existsSync(join(CG, 'cpuacct')))
    throw new Error('bench: needs cgroup v2 with the memory controller, or cgroup v1 memory + cpuacct');
  mkdirSync(mem);
  mkdirSync(cpu);
  return {
    dirs: [mem, cpu],
    read: () => ({
      userS: num(join(cpu, 'cpuacct.usage_user')) / 1e9,
      sysS: num(join(cpu, 'cpuacct.usage_sys')) / 1e9,
      peakBytes: num(join(mem, 'memory.max_usage_in_bytes')),
    }),
  };
}

function pidsIn(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
}

/** Ends what the tool left in its group (by pid: only processes this run started), then removes it. */
async function dispose(g: Group): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const left = pidsIn(g.dirs[0]!);
    if (left.length === 0) break;
    for (const pid of left) {
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
    }
    for (let i = 0; i < 40 && pidsIn(g.dirs[0]!).length > 0; i++) await sleep(50);
  }
  for (const d of g.dirs) {
    for (let i = 0; i < 40 && existsSync(d); i++) {
      try {
        rmdirSync(d);
        break;
      } catch {
        await sleep(50);
      }
    }
  }
}

/** The child joins every group dir, then execs the command: the tree is inside from its first instruction. */
const JOIN =
  'n=$1; shift; i=0; while [ $i -lt $n ]; do echo $$ > "$1/cgroup.procs"; shift; i=$((i+1)); done; exec "$@"';

export async function measure(argv: string[], opts: RunOptions = {}): Promise<Measurement> {
  const g = makeGroup();
  try {
    const args = ['-c', JOIN, 'sh', String(g.dirs.length), ...g.dirs, ...argv];
    const start = process.hrtime.bigint();
    const child = spawn('/bin/sh', args, { env: opts.env ?? process.env, cwd: opts.cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    const { userS, sysS, peakBytes } = g.read();
    // Leftovers (detached ssh masters) may hold the pipes: end them, then take the output.
    await dispose(g);
    await Promise.race([closed, sleep(5000)]);
    return {
      wallS,
      cpuS: userS + sysS,
      userS,
      sysS,
      peakMB: peakBytes / 2 ** 20,
      code,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  } catch (err) {
    await dispose(g);
    throw err;
  }
}
