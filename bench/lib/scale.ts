/**
 * Scaling mode: fleet's own cost per host at several host counts (default 50, 100, 200), each
 * command R times, next to the pssh curve25519 floor at the same count, so the growth curve of
 * wall time, workstation CPU and memory per host is visible. A 1-host `fleet facts` gives the
 * fixed cost (node start-up, loading fleet): the marginal columns subtract it.
 */
import { type Bench, type Check, exitZero, fleetAll } from './compare.js';
import { type Row, type Summary, summarize } from './report.js';
import { psshUnban, type ToolRun } from './tools.js';

export interface ScaleRow {
  hosts: number;
  rows: Row[];
}

export async function scaleAt(b: Bench, reps: number): Promise<ScaleRow> {
  const { tools, set, opts } = b;
  const n = set.count;
  const mk = (id: string, label: string): Row => ({ id, group: String(n), label, samples: [] });
  const rows = {
    floor: mk('floor-curve', 'parallel-ssh `true` (curve25519)'),
    facts: mk('facts', 'fleet facts'),
    ban: mk('ban', 'fleet ban'),
    apply: mk('apply', 'fleet apply'),
    audit: mk('audit', 'fleet audit'),
  };
  b.useVariant(b.currentVariant);
  await b.untimed(tools.fleet(['apply', 'all', '--canary', '0']), 'initial apply');
  for (let r = 0; r < reps; r++) {
    const address = `198.51.100.${200 + r}`;
    const steps: [Row, () => ToolRun, Check][] = [
      [rows.floor, () => tools.pssh('true'), exitZero],
      [rows.facts, () => tools.fleet(['facts', 'all']), fleetAll(n, 'ok')],
      [rows.ban, () => tools.fleet(['ban', address, '--reason', 'bench']), fleetAll(n, 'changed')],
      [
        rows.apply,
        () => {
          b.nextProfile();
          return tools.fleet(['apply', 'all']);
        },
        fleetAll(n, 'changed'),
      ],
      [rows.audit, () => tools.fleet(['audit', 'all']), fleetAll(n, 'ok')],
    ];
    for (const [row, run, check] of steps) {
      const s = await b.sample(row, run(), check);
      opts.log(
        `  ${n} hosts, ${row.label}: ${s.wallS.toFixed(2)} s, ${s.cpuS.toFixed(2)} s CPU, ${s.peakMB.toFixed(0)} MB${s.problem ? `  PROBLEM: ${s.problem}` : ''}`,
      );
      if (row === rows.ban) {
        await b.untimed(tools.fleet(['unban', address]), 'fleet unban');
        await b.untimed(tools.pssh(psshUnban(address)), 'cleanup');
      }
    }
  }
  return { hosts: n, rows: Object.values(rows) };
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
  return out.join('\n');
}
