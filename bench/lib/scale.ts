/**
 * Scaling mode: fleet's own cost per host at several host counts (default 50, 100, 200), each
 * command R times, next to the pssh curve25519 floor at the same count, so the growth curve of
 * wall time, workstation CPU and memory per host is visible. A 1-host `fleet facts` gives the
 * fixed cost (node start-up, loading fleet): the marginal columns subtract it.
 */
import { type Bench, type Check, exitZero, fleetAll } from './compare.js';
import { cell, type Row, type Summary, summarize } from './report.js';
import { psshUnban, type ToolRun } from './tools.js';

export interface ScaleRow {
  hosts: number;
  rows: Row[];
}

export const OPS = ['facts', 'ban', 'apply', 'audit'] as const;
export type Op = (typeof OPS)[number];

export interface ScaleOptions {
  reps: number;
  ops: readonly Op[];
  /** fleet rows once per value (`--workers N`); [undefined]: the flag is not passed. */
  workers: readonly (number | undefined)[];
  /** The pssh floor at the same count (real hosts only). */
  floor: boolean;
  /** Checked after every fleet run too (simulated hosts: no unknown request). */
  extraCheck?: () => string | undefined;
}

/** `--ops facts,ban`: known names, in the bench's order. */
export function parseOps(text: string): Op[] {
  const want = text.split(',').map((s) => s.trim());
  const bad = want.find((o) => !(OPS as readonly string[]).includes(o));
  if (bad) throw new Error(`--ops: unknown "${bad}": choose from ${OPS.join(', ')}`);
  return OPS.filter((o) => want.includes(o));
}

/** fleet's per-host time limit as pssh's (`-t 300`): on 2 loaded cores with hundreds of hosts a
 * host can take longer than fleet's default 60 s without anything being wrong with it. */
export const FLEET_TIMEOUT = ['--timeout', '300s'];

function withWorkers(args: string[], w: number | undefined): string[] {
  return [...args, ...FLEET_TIMEOUT, ...(w === undefined ? [] : ['--workers', String(w)])];
}

export async function scaleAt(b: Bench, o: ScaleOptions): Promise<ScaleRow> {
  const { tools, set, opts } = b;
  const n = set.count;
  const mk = (id: string, label: string): Row => ({ id, group: String(n), label, samples: [] });
  const floor = mk('floor-curve', 'parallel-ssh `true` (curve25519)');
  const fleetRows = o.workers.flatMap((w) =>
    o.ops.map((op) => ({
      op,
      w,
      row: mk(`${op}-w${w ?? ''}`, `fleet ${op}${w === undefined ? '' : ` --workers ${w}`}`),
    })),
  );
  if (o.ops.includes('apply') || o.ops.includes('audit')) {
    b.useVariant(b.currentVariant);
    await b.untimed(tools.fleet(['apply', 'all', '--canary', '0']), 'initial apply');
  }
  for (let r = 0; r < o.reps; r++) {
    const steps: [Row, () => ToolRun, Check, (() => Promise<void>)?][] = [];
    if (o.floor) steps.push([floor, () => tools.pssh('true'), exitZero]);
    for (const [k, { op, w, row }] of fleetRows.entries()) {
      const address = `198.51.100.${100 + ((r * fleetRows.length + k) % 150)}`;
      const run: Record<Op, () => ToolRun> = {
        facts: () => tools.fleet(withWorkers(['facts', 'all'], w)),
        ban: () => tools.fleet(withWorkers(['ban', address, '--reason', 'bench'], w)),
        apply: () => {
          b.nextProfile();
          return tools.fleet(withWorkers(['apply', 'all'], w));
        },
        audit: () => tools.fleet(withWorkers(['audit', 'all'], w)),
      };
      const status = op === 'ban' || op === 'apply' ? 'changed' : 'ok';
      const after =
        op === 'ban'
          ? async () => {
              await b.untimed(tools.fleet(['unban', address, ...FLEET_TIMEOUT]), 'fleet unban');
              if (o.floor) await b.untimed(tools.pssh(psshUnban(address)), 'cleanup');
            }
          : undefined;
      const check = fleetAll(n, status);
      steps.push([row, run[op], (s) => check(s) ?? o.extraCheck?.(), after]);
    }
    for (const [row, run, check, after] of steps) {
      const s = await b.sample(row, run(), check);
      opts.log(
        `  ${n} hosts, ${row.label}: ${s.wallS.toFixed(2)} s, ${s.cpuS.toFixed(2)} s CPU, ${s.peakMB.toFixed(0)} MB${s.problem ? `  PROBLEM: ${s.problem}` : ''}`,
      );
      await after?.();
    }
  }
  return { hosts: n, rows: [...(o.floor ? [floor] : []), ...fleetRows.map((x) => x.row)] };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');

/** Per command and host count; `fixed` is the 1-host run (start-up cost). */
export function scaleTable(results: ScaleRow[], fixed: Summary): string {
  const out = [
    `Fixed cost (\`fleet facts\` on 1 host): ${f(fixed.wallS, 2)} s wall, ${f(fixed.cpuS, 2)} s CPU, ${f(fixed.peakMB)} MB peak.`,
    '',
    '| command | hosts | wall s | wall ms/host | CPU s | CPU ms/host | CPU ms/host above the fixed cost | peak MB | KB/host above the fixed cost | ok runs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const labels = results[0]?.rows.map((r) => r.label) ?? [];
  for (const label of labels) {
    for (const res of results) {
      const s = summarize(res.rows.find((r) => r.label === label)!);
      const n = res.hosts;
      const pssh = label.startsWith('parallel-ssh');
      const cpuAbove = pssh ? '' : f(((s.cpuS - fixed.cpuS) / n) * 1000);
      const memAbove = pssh ? '' : f(((s.peakMB - fixed.peakMB) / n) * 1024, 0);
      out.push(
        `| ${label} | ${n} | ${f(s.wallS, 2)} | ${f((s.wallS / n) * 1000)} | ${f(s.cpuS, 2)} | ${f((s.cpuS / n) * 1000)} | ${cpuAbove} | ${f(s.peakMB)} | ${memAbove} | ${s.ok}/${s.total} |`,
      );
    }
  }
  const left = results.flatMap((res) =>
    res.rows.flatMap((r) =>
      r.samples.flatMap((smp, i) =>
        smp.problem ? [`- ${res.hosts} hosts, ${r.label}, run ${i + 1}: ${cell(smp.problem)}`] : [],
      ),
    ),
  );
  if (left.length > 0) out.push('', 'Runs left out of the medians:', '', ...left);
  return out.join('\n');
}
