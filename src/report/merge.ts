/**
 * `fleet report merge`: the reports of the parts of one run (`--shard I/N`, `--canary-only`,
 * `--skip-canary`) joined into the report of one unsharded run. Pure: the parts in, one
 * RunReport and the names of what is missing out. Parts of different selections are refused;
 * a selected host no part ran is reported `skipped` ("not run"), and the run counts as stopped,
 * as an unsharded run that never tried a host would.
 */
import { shardOf } from '../engine/shard.js';
import { InputError, type Problem } from '../errors.js';
import type { HostResult, RunReport, ShardRecord } from '../model/result.js';

export interface ReportPart {
  /** Where the report came from (named in errors). */
  file: string;
  report: RunReport;
}

export interface MergedRun {
  report: RunReport;
  /** One line per missing part: "shard 2/4 (3 hosts)", "the canary run (1 host)". */
  missing: string[];
}

type Part = ReportPart & { shard: ShardRecord };

export function mergeReports(parts: readonly ReportPart[]): MergedRun {
  const sharded = checkParts(parts);
  const first = sharded[0]!;
  const byHost = new Map<string, HostResult>();
  for (const p of sharded) for (const h of p.report.hosts) byHost.set(h.host, h);
  const missingBy = new Map<string, string[]>();
  const hosts = first.shard.selection.hosts.map((name) => {
    const found = byHost.get(name);
    if (found) return found;
    const part = missingPartOf(name, sharded);
    missingBy.set(part, [...(missingBy.get(part) ?? []), name]);
    return notRun(name, part);
  });
  const missing = [...missingBy].map(([part, names]) => `${part} (${plural(names.length, 'host')})`);
  const reasons = [
    ...sharded
      .filter((p) => p.report.stopped)
      .map((p) => `${partName(p.shard)}: ${p.report.stopReason ?? 'stopped'}`),
    ...(missing.length ? [`missing: ${missing.join(', ')}`] : []),
  ];
  const report: RunReport = {
    schemaVersion: 1,
    command: first.report.command,
    selector: first.report.selector,
    startedAt: earliest(sharded.map((p) => p.report.startedAt)),
    finishedAt: latest(sharded.map((p) => p.report.finishedAt)),
    stopped: reasons.length > 0,
    ...(reasons.length && { stopReason: reasons.join('; ') }),
    hosts,
  };
  return { report, missing };
}

/** Every file is a part of the same run (command, selection), no part and no host twice. */
function checkParts(parts: readonly ReportPart[]): Part[] {
  if (parts.length === 0) throw new InputError({ message: 'report merge: no reports given' });
  const problems: Problem[] = [];
  const sharded: Part[] = [];
  for (const p of parts) {
    if (p.report.shard) sharded.push({ ...p, shard: p.report.shard });
    else
      problems.push({
        message: `${p.file}: not the report of a part of a run (no --shard, --canary-only or --skip-canary)`,
      });
  }
  const ref = sharded[0];
  const seen = new Map<string, string>();
  const hostSeen = new Map<string, string>();
  for (const p of sharded) {
    if (p.report.command !== ref!.report.command || p.shard.selection.digest !== ref!.shard.selection.digest)
      problems.push({
        message: `${p.file}: a part of another run (${p.report.command} of ${p.shard.selection.size} hosts, ${p.shard.selection.digest}) than ${ref!.file} (${ref!.report.command} of ${ref!.shard.selection.size} hosts, ${ref!.shard.selection.digest})`,
      });
    const name = partName(p.shard);
    const twice = seen.get(name);
    if (twice) problems.push({ message: `${p.file}: ${name} is also in ${twice}` });
    seen.set(name, p.file);
    for (const h of p.report.hosts) {
      const other = hostSeen.get(h.host);
      if (other && other !== p.file)
        problems.push({ message: `${p.file}: host ${h.host} is also in ${other}` });
      hostSeen.set(h.host, p.file);
    }
  }
  if (problems.length)
    throw new InputError(
      problems,
      'merge the reports of one run: the same command and selection, each part once',
    );
  return sharded;
}

/** The part that should have run a host nobody reported. */
function missingPartOf(name: string, parts: readonly Part[]): string {
  const sharded = parts.find((p) => p.shard.count !== undefined);
  const hasRest = parts.some((p) => p.shard.part === 'rest');
  const hasCanary = parts.some((p) => p.shard.part === 'canary');
  if (sharded) {
    const count = sharded.shard.count!;
    const index = shardOf(name, count);
    const part = sharded.shard.part;
    const present = parts.some((p) => p.shard.part === part && p.shard.index === index);
    if (!present) return partName({ ...sharded.shard, index });
  }
  if (hasRest && !hasCanary) return 'the canary run';
  if (hasCanary && !hasRest) return 'the rest of the run (--skip-canary)';
  return 'no part';
}

function partName(s: Pick<ShardRecord, 'index' | 'count' | 'part'>): string {
  const shard = s.count !== undefined ? `shard ${s.index}/${s.count}` : '';
  if (s.part === 'canary') return 'the canary run';
  if (s.part === 'rest') return shard ? `${shard} of the rest` : 'the rest of the run (--skip-canary)';
  return shard || 'the whole run';
}

function notRun(host: string, part: string): HostResult {
  return { host, status: 'skipped', durationMs: 0, detail: `not run: ${part} missing`, steps: [] };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const earliest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
