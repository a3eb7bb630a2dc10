/**
 * Bench: a ban list of 10,000 entries loaded on one lab host with ipset (`fleet bans sync`'s
 * path: `ipset restore` into a temporary set, `ipset swap`, destroy). Prints the host time of
 * that section (measured by the script itself with `date +%s%N`), of the whole change, of the
 * whole script, and the wall time seen from the workstation. Each run swaps in a list that
 * differs from the one in place, so every run really loads 10,000 entries.
 *
 * Entries come from documentation ranges only (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24
 * and 2001:db8::/32): they only sit in the set; no packet is sent to or from them.
 *
 * With `--fanout N` it also brings up N lab hosts and times, in one run, `fleet ban` (the built
 * CLI, bin/fleet.js: npm run build first) across all of them next to `parallel-ssh -p N` running
 * the equivalent `iptables -I INPUT -s ADDR -j DROP` (addresses in the lab's own subnet).
 *
 *   npx tsc -p tsconfig.json --outDir .fleet/build && node .fleet/build/bench/ban-ipset.js [runs]
 *   npm run build && node .fleet/build/bench/ban-ipset.js 5 --fanout 100
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBanTarget } from '../src/bans/address.js';
import { type LabInfo, labDown, labUp } from '../src/lab/index.js';
import { type PushOutcome, pushBans } from '../src/ops/ban/push.js';
import { SshPool } from '../src/remote/index.js';

const ENTRIES = 10_000;
const V4_NETS = ['192.0.2', '198.51.100', '203.0.113'];

/** 768 IPv4 documentation addresses, then IPv6 ones up to `ENTRIES`; `round` varies the v6 part. */
export function banList(round: number): { cidr: string; family: 4 | 6 }[] {
  const v4 = V4_NETS.flatMap((net) => Array.from({ length: 256 }, (_, i) => `${net}.${i}`));
  const v6 = Array.from(
    { length: ENTRIES - v4.length },
    (_, i) => `2001:db8:${round.toString(16)}:${i.toString(16)}::1`,
  );
  return [...v4, ...v6].map((text) => {
    const r = parseBanTarget(text);
    if (!r.ok) throw new Error(r.message);
    return r.target;
  });
}

interface Sample {
  out: PushOutcome;
  wallMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function line(name: string, xs: number[]): string {
  return `${name.padEnd(40)} median ${String(median(xs)).padStart(5)} ms   max ${String(Math.max(...xs)).padStart(5)} ms`;
}

async function main(runs: number): Promise<void> {
  const lab = await labUp({ name: 'bans-bench', count: 1 });
  const pool = new SshPool({ knownHostsFile: lab.knownHostsPath });
  try {
    const h = lab.hosts[0]!;
    const session = await pool.session({
      name: h.name,
      address: h.address,
      user: 'root',
      identity: lab.identityPath,
    });
    const samples: Sample[] = [];
    for (let round = 0; round <= runs; round++) {
      const targets = banList(round);
      const t0 = performance.now();
      const out = await pushBans(session, { op: 'sync', targets, timeoutMs: 120_000 });
      if ((out.count[4] ?? 0) + (out.count[6] ?? 0) !== ENTRIES)
        throw new Error(`the host holds ${(out.count[4] ?? 0) + (out.count[6] ?? 0)} entries`);
      if (round > 0) samples.push({ out, wallMs: Math.round(performance.now() - t0) });
    }
    const pick = (f: (s: Sample) => number) => samples.map(f);
    console.log(
      `ban list of ${ENTRIES} entries (768 IPv4, ${ENTRIES - 768} IPv6), ipset, ${runs} runs on ${h.name}:`,
    );
    console.log(
      line(
        'host: ipset restore + swap',
        pick((s) => s.out.loadMs),
      ),
    );
    console.log(
      line(
        'host: whole script (+ persist)',
        pick((s) => s.out.hostMs),
      ),
    );
    console.log(
      line(
        'workstation: wall time of the push',
        pick((s) => s.wallMs),
      ),
    );
  } finally {
    await pool.closeAll();
    await labDown('bans-bench');
  }
}

/** Wall time of one command, ms; throws unless it exits 0. */
function timed(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Math.round(performance.now() - t0);
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${(r.stderr || r.stdout).slice(-500)}`);
  return ms;
}

function psshArgs(lab: LabInfo, hostsFile: string, n: number, addr: string): string[] {
  const ssh = `-i ${lab.identityPath} -o IdentitiesOnly=yes -o UserKnownHostsFile=${lab.knownHostsPath} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
  return [
    '-p',
    String(n),
    '-h',
    hostsFile,
    '-l',
    'root',
    '-t',
    '60',
    '-x',
    ssh,
    `iptables -w -I INPUT -s ${addr} -j DROP`,
  ];
}

/** `fleet ban` and `parallel-ssh` on N lab hosts, alternating, twice each, in this one run. */
async function fanoutBench(n: number): Promise<void> {
  const lab = await labUp({ name: 'bans-fan', count: n });
  const dir = mkdtempSync(join(tmpdir(), 'fleet-ban-bench-'));
  try {
    const hostsFile = join(dir, 'hosts');
    writeFileSync(hostsFile, lab.hosts.map((h) => h.address).join('\n'));
    const addr = (k: number) => lab.subnet.replace(/\.0\/24$/, `.${200 + k}`);
    const fleetBan = (a: string) => [
      'bin/fleet.js',
      '-C',
      dir,
      'ban',
      a,
      '-i',
      lab.inventoryPath,
      '--reason',
      'bench',
    ];
    const rows: string[] = [];
    for (let k = 0; k < 2; k++) {
      const f = timed('node', fleetBan(addr(2 * k)));
      const p = timed('parallel-ssh', psshArgs(lab, hostsFile, n, addr(2 * k + 1)));
      rows.push(`run ${k + 1}: fleet ban ${f} ms   parallel-ssh -p ${n} iptables -I ${p} ms`);
    }
    console.log(`ban across ${n} lab hosts (wall time, one run, alternating):`);
    for (const r of rows) console.log(`  ${r}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await labDown('bans-fan');
  }
}

async function cli(args: string[]): Promise<void> {
  const at = args.indexOf('--fanout');
  const fanout = at >= 0 ? Number(args[at + 1]) : 0;
  const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--fanout') ?? 5);
  await main(runs);
  if (fanout > 0) await fanoutBench(fanout);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
