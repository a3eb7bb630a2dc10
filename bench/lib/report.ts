/** Medians, the results table (markdown) and the results file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Measurement } from './measure.js';

export interface Sample extends Measurement {
  /** 1-minute load average when the sample started. */
  load: number;
  /** CPU seconds on the hosts' side (sshd and what it ran), summed over the hosts. */
  hostCpuS: number;
  /** Why this sample does not count (wrong exit code, hosts missing), if so. */
  problem?: string;
}

export interface Row {
  id: string;
  /** What the row is compared with (table section). */
  group: string;
  label: string;
  samples: Sample[];
}

/** Text safe inside a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Summary {
  wallS: number;
  cpuS: number;
  hostCpuS: number;
  peakMB: number;
  ok: number;
  total: number;
}

export function summarize(row: Row): Summary {
  const good = row.samples.filter((s) => !s.problem);
  return {
    wallS: median(good.map((s) => s.wallS)),
    cpuS: median(good.map((s) => s.cpuS)),
    hostCpuS: median(good.map((s) => s.hostCpuS)),
    peakMB: median(good.map((s) => s.peakMB)),
    ok: good.length,
    total: row.samples.length,
  };
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const fx = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '—');

export function machineLine(): string {
  const c = cpus();
  return `${c.length} cores (${c[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
}

export function loadLine(rows: Row[]): string {
  const loads = rows.flatMap((r) => r.samples.map((s) => s.load));
  if (loads.length === 0) return `load average now ${loadavg()[0]!.toFixed(1)}`;
  return `1-min load average at the start of each sample: median ${median(loads).toFixed(1)}, min ${Math.min(...loads).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}`;
}

/**
 * The comparison table: medians, wall and CPU ratios to the floor (the faster pssh `true` row),
 * CPU per host, and CPU against pssh with curve25519 (the target's reference).
 */
export function comparisonTable(rows: Row[], hosts: number, floorId: string, cpuRefId: string): string {
  const floor = summarize(rows.find((r) => r.id === floorId)!);
  const ref = summarize(rows.find((r) => r.id === cpuRefId)!);
  const out = [
    "| what | tool | wall s | wall ×floor | CPU s | CPU ms/host | CPU ×pssh-curve25519 | peak MB | hosts' CPU ms/host | ok runs |",
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const s = summarize(r);
    const mark = r.id === floorId ? ' **(floor)**' : '';
    const label = cell(r.label);
    out.push(
      `| ${r.group} | ${label}${mark} | ${f2(s.wallS)} | ${fx(s.wallS / floor.wallS)} | ${f2(s.cpuS)} | ${f1((s.cpuS / hosts) * 1000)} | ${fx(s.cpuS / ref.cpuS)} | ${f1(s.peakMB)} | ${f1((s.hostCpuS / hosts) * 1000)} | ${s.ok}/${s.total} |`,
    );
  }
  return out.join('\n');
}

/** Every sample, for the record. */
export function samplesTable(rows: Row[]): string {
  const out = [
    '| tool | run | wall s | CPU s (user+sys) | peak MB | load | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    for (const [i, s] of r.samples.entries()) {
      out.push(
        `| ${cell(r.label)} | ${i + 1} | ${f2(s.wallS)} | ${f2(s.cpuS)} (${f2(s.userS)}+${f2(s.sysS)}) | ${f1(s.peakMB)} | ${f2(s.hostCpuS)} | ${f1(s.load)} | ${cell(s.problem ?? '')} |`,
      );
    }
  }
  return out.join('\n');
}

export function writeResult(dir: string, stem: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${stem}.md`);
  writeFileSync(file, text);
  return file;
}

/** `2026-11-22T01-02Z`: sorts by time, safe in file names. */
export function stamp(d = new Date()): string {
  return `${d.toISOString().slice(0, 16).replace(/:/g, '-')}Z`;
}
