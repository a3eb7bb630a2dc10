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
 *   npx tsc -p tsconfig.json --outDir .fleet/build && node .fleet/build/bench/ban-ipset.js [runs]
 */
import { pathToFileURL } from 'node:url';
import { parseBanTarget } from '../src/bans/address.js';
import { labDown, labUp } from '../src/lab/index.js';
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
      if (out.count[4] + out.count[6] !== ENTRIES)
        throw new Error(`the host holds ${out.count[4] + out.count[6]} entries`);
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
        'host: whole change (list, load, check)',
        pick((s) => s.out.applyMs),
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(Number(process.argv[2] ?? 5)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
