/**
 * Summarizes V8 .cpuprofile files (node --cpu-prof): self time per category (fleet's own code,
 * ssh2, crypto, module loading, other libraries, node internals, GC) and the top frames by self
 * time. Native work (crypto in OpenSSL, socket writes) counts as self time of the JS function
 * that called into it, so e.g. ssh2's `sign`/`verify` wrappers carry their crypto.
 *
 * Time is counted in SAMPLES x the sampling interval, not in the samples' time deltas: V8
 * samples on a wall-clock timer, and on a loaded machine a thread that waits for a CPU gets one
 * late sample with a long delta, which would charge the waiting to whatever frame it resumed in
 * (typically a syscall such as a socket or pipe write). Counting samples approximates the time
 * the thread was really on a CPU.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  byCategory: Map<string, number>;
  byFrame: Map<string, number>;
}

/** Which part of the program a frame belongs to. */
export function category(f: CallFrame): string {
  const { url, functionName } = f;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle (waiting for the network)';
  if (functionName === '(program)') return 'V8 (compile, runtime)';
  if (
    url.includes('/node_modules/ssh2/lib/protocol/crypto') ||
    url.includes('/node_modules/ssh2/lib/protocol/keyParser')
  )
    return 'ssh2 crypto (cipher, kex, keys, signatures)';
  if (url.includes('/node_modules/ssh2/')) return 'ssh2 protocol';
  if (url.includes('/node_modules/')) return 'other libraries (commander, yaml, zod, listr2…)';
  if (url.startsWith('node:internal/crypto') || url === 'node:crypto') return 'node crypto';
  if (url.startsWith('node:internal/modules') || url.startsWith('node:internal/vm')) return 'module loading';
  if (
    url.startsWith('node:internal/streams') ||
    url.startsWith('node:net') ||
    url.startsWith('node:internal/stream_base')
  )
    return 'node streams and sockets';
  if (url.startsWith('node:')) return 'node (other)';
  if (url.includes('/dist/') || url.includes('/src/')) return "fleet's own code";
  if (url === '') return 'native / builtins';
  return 'other';
}

function frameName(f: CallFrame): string {
  const file = f.url
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*\/(dist|\.fleet\/bench\/src)\//, 'fleet:')
    .replace(/^file:\/\//, '');
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
}

/** The sampling interval: the median time delta (most samples come on time). */
function nominalInterval(p: CpuProfile): number {
  const d = p.timeDeltas.filter((x) => x > 0).sort((a, b) => a - b);
  return (d[Math.floor(d.length / 2)] ?? 1000) / 1000;
}

export function summarizeProfiles(files: string[]): ProfileSummary {
  const byCategory = new Map<string, number>();
  const byFrame = new Map<string, number>();
  let totalMs = 0;
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const intervalMs = nominalInterval(p);
    p.samples.forEach((id) => {
      const ms = intervalMs;
      const f = nodes.get(id)!.callFrame;
      totalMs += ms;
      const c = category(f);
      byCategory.set(c, (byCategory.get(c) ?? 0) + ms);
      byFrame.set(frameName(f), (byFrame.get(frameName(f)) ?? 0) + ms);
    });
  }
  return { totalMs, byCategory, byFrame };
}

/** Markdown: categories (without idle, as a share of CPU time) and the top frames. */
export function profileTables(s: ProfileSummary, top = 15): string {
  const idle = s.byCategory.get('idle (waiting for the network)') ?? 0;
  const busy = s.totalMs - idle;
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1)}%`;
  const cats = [...s.byCategory].filter(([c]) => !c.startsWith('idle')).sort((a, b) => b[1] - a[1]);
  const frames = [...s.byFrame]
    .filter(([f]) => !f.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  return [
    `Samples x interval: ${(s.totalMs / 1000).toFixed(2)} s of the main thread, ${(busy / 1000).toFixed(2)} s of it busy (the rest idle: waiting for hosts).`,
    '',
    '| category (self time) | ms | share of busy |',
    '| --- | ---: | ---: |',
    ...cats.map(([c, ms]) => `| ${c} | ${ms.toFixed(0)} | ${pct(ms)} |`),
    '',
    '| top frames (self time) | ms | share of busy |',
    '| --- | ---: | ---: |',
    ...frames.map(([f, ms]) => `| \`${f.replace(/\|/g, '\\|')}\` | ${ms.toFixed(0)} | ${pct(ms)} |`),
  ].join('\n');
}
