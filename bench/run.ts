/**
 * fleet's benchmark: `npm run bench [-- --hosts N --concurrency C --reps R]`, or `-- --scale`
 * (fleet per host at 50, 100, 200 hosts) or `-- --profile` (round trips per host per command,
 * and a CPU profile of fleet's runs) or `-- --processes` (processes each command starts on one
 * host, per script and step). See bench/README.md.
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
import { type ScaleRow, scaleAt, scaleTable } from './lib/scale.js';
import {
  hostSet,
  labsDown,
  labsUp,
  makeWorkspace,
  REPO_ROOT,
  removeWorkspace,
  type Workspace,
} from './lib/workspace.js';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '100' },
    concurrency: { type: 'string' },
    reps: { type: 'string', default: '3' },
    scale: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '50,100,200' },
    profile: { type: 'boolean', default: false },
    processes: { type: 'boolean', default: false },
    lab: { type: 'string', default: 'bench-procs' },
    out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results') },
    'keep-lab': { type: 'boolean', default: false },
  },
});

function int(name: string, v: string | undefined, min: number): number {
  if (!v || !/^\d+$/.test(v) || Number(v) < min)
    throw new Error(`--${name} must be a whole number >= ${min}`);
  return Number(v);
}

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const reps = int('reps', values.reps, 1);

function header(title: string, lines: string[]): string {
  return [
    `# ${title}`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machineLine()}`,
    ...lines.map((l) => `- ${l}`),
    '',
  ].join('\n');
}

async function withLabs<T>(total: number, body: (ws: Workspace) => Promise<T>, names?: string[]): Promise<T> {
  const labs = await labsUp(total, log, names);
  const ws = makeWorkspace(labs);
  const down = async () => {
    if (!values['keep-lab']) await labsDown(labs.map((l) => l.name));
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
    const b = new Bench(ws, hostSet(ws, hosts), { reps, concurrency, log });
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
      `npm run bench -- --hosts ${hosts} --concurrency ${concurrency} --reps ${reps}`,
      '```',
      '',
    ].join('\n');
    process.stdout.write(`\n${machineLine()}\n${loadLine(r.rows)}\n\n${table}\n\n`);
    log(`written: ${writeResult(values.out!, stamp(), text)}`);
  });
}

async function runScale(): Promise<void> {
  const sizes = values.sizes!.split(',').map((s) => int('sizes', s, 1));
  const max = Math.max(...sizes);
  await withLabs(max, async (ws) => {
    const results: ScaleRow[] = [];
    const one = new Bench(ws, hostSet(ws, 1), { reps, concurrency: 1, log });
    const fixedRow = { id: 'fixed', group: '1', label: 'fleet facts (1 host)', samples: [] };
    for (let i = 0; i < reps; i++)
      await one.sample(fixedRow, one.tools.fleet(['facts', 'all']), () => undefined);
    const fixed = summarize(fixedRow);
    for (const n of sizes) {
      const b = new Bench(ws, hostSet(ws, n), { reps, concurrency: n, log });
      b.compileVariants();
      results.push(await scaleAt(b, reps));
    }
    const table = scaleTable(results, fixed);
    const text = [
      header(`fleet bench --scale: ${sizes.join(', ')} hosts, concurrency = hosts, ${reps} runs each`, [
        `labs: ${ws.labs.map((l) => `${l.name} (${l.hosts.length} hosts)`).join(', ')}`,
        `load: ${loadLine(results.flatMap((r) => r.rows))}`,
      ]),
      table,
      '',
      '```',
      `npm run bench -- --scale --sizes ${sizes.join(',')} --reps ${reps}`,
      '```',
      '',
    ].join('\n');
    process.stdout.write(`\n${machineLine()}\n\n${table}\n\n`);
    log(`written: ${writeResult(values.out!, `${stamp()}-scale`, text)}`);
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
    [values.lab!],
  );
}

const mode = values.processes
  ? runProcesses
  : values.scale
    ? runScale
    : values.profile
      ? runProfile
      : runCompare;
mode().catch((err: Error) => {
  log(`failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
