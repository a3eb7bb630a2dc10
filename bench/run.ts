/**
 * fleet's benchmark: `npm run bench [-- --hosts N --concurrency C --reps R]`, or `-- --scale`
 * (fleet per host at 50, 100, 200 hosts) or `-- --profile` (round trips per host per command,
 * and a CPU profile of fleet's runs) or `-- --processes` (processes each command starts on one
 * host, per script and step) or `-- --simulate` (fleet on simulated hosts, `--record` to re-record
 * their answers). See bench/README.md.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Bench, compare } from './lib/compare.js';
import { processes } from './lib/processes.js';
import { profile } from './lib/profile.js';
import {
  comparisonTable,
  loadLine,
  machineLine,
  samplesTable,
  stamp,
  summarize,
  writeResult,
} from './lib/report.js';
import { parseOps, type ScaleRow, scaleAt, scaleTable } from './lib/scale.js';
import { record, simulate } from './lib/simulate.js';
import { intList } from './lib/split.js';
import { restoreNeighbourTables } from './lib/system.js';
import { fleetKnowsWorkers } from './lib/tools.js';
import {
  hostSet,
  labsDown,
  labsUp,
  makeWorkspace,
  REPO_ROOT,
  removeWorkspace,
  type Workspace,
} from './lib/workspace.js';

const USAGE = `usage: npm run bench -- [options]   (bench/README.md says what each run measures)

  (default)            fleet against parallel-ssh (and Ansible) on one lab: the floor, then --ops
    --hosts N          lab hosts (default 100)        --concurrency C   hosts at once (default: N)
    --reps R           runs of each row (default 3)   --ops a,b         facts,ban,apply,audit
    --no-ansible       leave Ansible's rows out       --lab-name NAME   the lab's name (default bench)
    --trial            label a run made on a loaded machine as such
  --scale --sizes 1000[,3000]   real hosts in several labs (--per-lab 200), fleet and the pssh floor
    --workers 1,2      fleet's rows once per --workers value
  --simulate --sizes 100,10000  fleet on simulated ssh2 hosts (--record: re-record their answers)
  --profile            round trips per host per command and a CPU profile of fleet's runs
  --processes          processes each command starts on one host (--lab NAME, default bench-procs)
  --out DIR            where result files go (default bench/results)   --keep-lab   leave the lab up
`;

const { values } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    hosts: { type: 'string', default: '100' },
    concurrency: { type: 'string' },
    reps: { type: 'string', default: '3' },
    scale: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    ops: { type: 'string', default: 'facts,ban,apply,audit' },
    workers: { type: 'string' },
    simulate: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    'reuse-recording': { type: 'boolean', default: false },
    'lab-name': { type: 'string', default: 'bench' },
    'per-lab': { type: 'string', default: '200' },
    profile: { type: 'boolean', default: false },
    processes: { type: 'boolean', default: false },
    lab: { type: 'string', default: 'bench-procs' },
    out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results') },
    'keep-lab': { type: 'boolean', default: false },
    trial: { type: 'boolean', default: false },
    'no-ansible': { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function int(name: string, v: string | undefined, min: number): number {
  if (!v || !/^\d+$/.test(v) || Number(v) < min)
    throw new Error(`--${name} must be a whole number >= ${min}`);
  return Number(v);
}

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const reps = int('reps', values.reps, 1);

/** `--trial`: a run that proves the tooling on a loaded machine, labelled so in title and file name. */
const TRIAL = values.trial ? 'TRIAL (loaded machine, tooling check; the numbers mean little): ' : '';
const trialStem = values.trial ? '-trial' : '';

function header(title: string, lines: string[]): string {
  return [
    `# ${TRIAL}${title}`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machineLine()}`,
    ...lines.map((l) => `- ${l}`),
    '',
  ].join('\n');
}

async function withLabs<T>(
  total: number,
  body: (ws: Workspace) => Promise<T>,
  prefix = values['lab-name']!,
): Promise<T> {
  const labs = await labsUp(total, prefix, log, int('per-lab', values['per-lab'], 1));
  const ws = makeWorkspace(labs);
  const down = async () => {
    if (!values['keep-lab']) {
      await labsDown(labs.map((l) => l.name));
      restoreNeighbourTables();
    }
    removeWorkspace(ws);
  };
  const onSignal = () => {
    log('interrupted: taking the labs down');
    void down().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(ws);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await down();
  }
}

async function runCompare(): Promise<void> {
  const hosts = int('hosts', values.hosts, 1);
  const concurrency = int('concurrency', values.concurrency ?? String(hosts), 1);
  const loadBefore = loadavg()[0]!;
  await withLabs(hosts, async (ws) => {
    const ops = parseOps(values.ops!);
    const ansible = !values['no-ansible'];
    const b = new Bench(ws, hostSet(ws, hosts), { reps, concurrency, log, ops, ansible });
    const r = await compare(b);
    const table = comparisonTable(r.rows, hosts, r.floorId, r.cpuRefId);
    const text = [
      header(`fleet bench: ${hosts} hosts, concurrency ${concurrency}, ${reps} runs each`, [
        `labs: ${ws.labs.map((l) => `${l.name} (${l.hosts.length} hosts, ${l.subnet})`).join(', ')}`,
        `load: 1-min average ${loadBefore.toFixed(1)} before the run; ${loadLine(r.rows)}`,
        "medians of the runs; peak MB = the cgroup high-water mark of the tool's whole process tree; CPU = user+sys of the tree",
      ]),
      '## Medians',
      '',
      table,
      '',
      '## Every run',
      '',
      samplesTable(r.rows),
      '',
      '## Reproduce',
      '',
      '```',
      `npm run bench -- --hosts ${hosts} --concurrency ${concurrency} --reps ${reps} --ops ${ops.join(',')}${ansible ? '' : ' --no-ansible'}`,
      '```',
      '',
    ].join('\n');
    process.stdout.write(`\n${machineLine()}\n${loadLine(r.rows)}\n\n${table}\n\n`);
    log(`written: ${writeResult(values.out!, stamp(), text)}`);
  });
}

/** `--workers 1,2`: fleet rows once per value, if the built CLI knows the flag. */
function workerValues(): (number | undefined)[] {
  if (!values.workers) return [undefined];
  const list = intList('workers', values.workers);
  if (fleetKnowsWorkers()) return list;
  log(`--workers ${values.workers}: the built fleet has no --workers option yet; fleet rows run without it`);
  return [undefined];
}

function scaleOptions(floor: boolean) {
  return { reps, ops: parseOps(values.ops!), workers: workerValues(), floor };
}

function command(extra: string[], ops: readonly string[]): string {
  const w = values.workers ? ` --workers ${values.workers}` : '';
  const c = values.concurrency ? ` --concurrency ${values.concurrency}` : '';
  const labs = values['per-lab'] === '200' ? '' : ` --per-lab ${values['per-lab']}`;
  return `npm run bench -- ${extra.join(' ')} --ops ${ops.join(',')}${w}${c}${labs} --reps ${reps}`;
}

async function runScale(): Promise<void> {
  const sizes = intList('sizes', values.sizes ?? '50,100,200');
  const max = Math.max(...sizes);
  const o = scaleOptions(true);
  await withLabs(max, async (ws) => {
    const results: ScaleRow[] = [];
    const one = new Bench(ws, hostSet(ws, 1), { reps, concurrency: 1, log });
    const fixedRow = { id: 'fixed', group: '1', label: 'fleet facts (1 host)', samples: [] };
    for (let i = 0; i < reps; i++)
      await one.sample(fixedRow, one.tools.fleet(['facts', 'all']), () => undefined);
    const fixed = summarize(fixedRow);
    for (const n of sizes) {
      const concurrency = values.concurrency ? int('concurrency', values.concurrency, 1) : n;
      const b = new Bench(ws, hostSet(ws, n), { reps, concurrency, log });
      b.compileVariants();
      results.push(await scaleAt(b, o));
    }
    const table = scaleTable(results, fixed);
    const text = [
      header(`fleet bench --scale: ${sizes.join(', ')} real lab hosts, ${reps} runs each`, [
        `labs: ${ws.labs.map((l) => `${l.name} (${l.hosts.length} hosts)`).join(', ')}`,
        `concurrency: ${values.concurrency ?? 'the host count'}`,
        `load: ${loadLine(results.flatMap((r) => r.rows))}`,
      ]),
      table,
      '',
      '```',
      command(['--scale', '--sizes', sizes.join(',')], o.ops),
      '```',
      '',
    ].join('\n');
    process.stdout.write(`\n${machineLine()}\n\n${table}\n\n`);
    log(`written: ${writeResult(values.out!, `${stamp()}-scale${trialStem}`, text)}`);
  });
}

async function runProfile(): Promise<void> {
  const hosts = int('hosts', values.hosts, 1);
  await withLabs(hosts, async (ws) => {
    const text = await profile(ws, hostSet(ws, hosts), log);
    process.stdout.write(`\n${text}\n`);
    log(`written: ${writeResult(values.out!, `${stamp()}-profile`, text)}`);
  });
}

/** One host of its own lab (`--lab`, so it can run beside another bench's labs). */
async function runProcesses(): Promise<void> {
  await withLabs(
    1,
    async (ws) => {
      const text = await processes(ws, hostSet(ws, 1), log);
      process.stdout.write(`\n${text}\n`);
      log(`written: ${writeResult(values.out!, `${stamp()}-processes`, text)}`);
    },
    values.lab!,
  );
}

async function runSimulate(): Promise<void> {
  const sizes = intList('sizes', values.sizes ?? '100,1000');
  const all = scaleOptions(false);
  const ops = all.ops.filter((op) => op === 'facts' || op === 'ban');
  if (ops.length < all.ops.length)
    log('--simulate: only facts and ban are recorded; apply and audit are left out');
  // A recording made by this very build: a change to fleet's scripts never meets a stale one.
  if (!values['reuse-recording']) await record(values['lab-name']!, log);
  const text = await simulate({
    sizes,
    options: { ...all, ops },
    concurrency: values.concurrency ? int('concurrency', values.concurrency, 1) : undefined,
    command: command(['--simulate', '--sizes', sizes.join(',')], ops),
    header,
    log,
  });
  process.stdout.write(`\n${text}\n`);
  log(`written: ${writeResult(values.out!, `${stamp()}-simulated${trialStem}`, text)}`);
}

const mode = values.processes
  ? runProcesses
  : values.record
    ? () => record(values['lab-name']!, log)
    : values.simulate
      ? runSimulate
      : values.scale
        ? runScale
        : values.profile
          ? runProfile
          : runCompare;
mode().catch((err: Error) => {
  log(`failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
