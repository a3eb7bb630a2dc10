/**
 * The hashlimit match as libxt_hashlimit prints it back (iptables 1.8, revision 3): the rate
 * in the unit that keeps it whole (`120/min` → `2/sec`), the burst always shown, the mode
 * in kernel order, defaults dropped (masks 32/128, gcinterval 1000, size and max 0), and
 * `--hashlimit-htable-expire` shown only when it differs from the printed rate's unit (its
 * default is the written rate's unit: so `120/min` comes back with `--hashlimit-htable-expire
 * 60000`). Byte rates (`512kb/s`) go through the kernel's cost, as `100b/s` → `96b/s`.
 */
import type { Family } from '../model.js';
import { isNegated, type OptGroup, optName, optValues } from './groups.js';
import { U32 } from './numbers.js';
import { dropDefault, find, has, type OptFn, sortList, withDefault } from './opts.js';
import { UNITS, unitSeconds } from './rate.js';

const SCALE = 1_000_000;
const BYTE_UNITS: Array<[string, number]> = [
  ['m', 1024 * 1024],
  ['k', 1024],
  ['', 1],
];

/** The printed rate and its unit in ms, from the kernel's period (print_rate). */
function printRate(period: number): [string, number] {
  let i = 1;
  for (; i < UNITS.length; i++) {
    const mult = SCALE * UNITS[i]![1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, secs] = UNITS[i - 1]!;
  return [`${Math.floor((SCALE * secs) / period)}/${name}`, secs * 1000];
}

const costToBytes = (cost: number) => (Math.floor(U32 / (cost || 1)) - 1) * 16;
const bytesToCost = (bytes: number) => Math.floor(U32 / (Math.floor(bytes / 16) + 1));
const factor = (c: string | undefined) => (c === 'm' ? 1024 * 1024 : c === 'k' ? 1024 : 1);

function printBytes(cost: number): string {
  const r = costToBytes(cost);
  const i = BYTE_UNITS.findIndex(
    ([, t], j) => j === BYTE_UNITS.length - 1 || (r >= t && bytesToCost(r - (r % t)) === cost),
  );
  const [name, t] = BYTE_UNITS[i]!;
  return `${Math.floor(r / t)}${name}b/s`;
}

interface Parsed {
  rate: string;
  /** The default expire (ms) for what was written, and the printed unit (ms). */
  writtenUnit: number;
  printedUnit: number;
  burst?: string;
}

function parsePackets(text: string, burst: OptGroup | undefined, rateMatch: boolean): Parsed | undefined {
  const [num = '', unit, ...rest] = text.split('/');
  const mult = unit === undefined ? 1 : unit === '' ? undefined : unitSeconds(unit);
  const r = Number.parseInt(num, 10);
  if (rest.length || mult === undefined || !(r > 0)) return undefined;
  const avg = Math.floor((SCALE * mult) / r);
  const period = rateMatch ? Math.floor(avg / mult) : avg; // rate-match keeps a per-second rate
  if (period === 0) return undefined;
  const [rate, printedUnit] = printRate(period);
  return { rate, writtenUnit: mult * 1000, printedUnit, burst: burst ? optValues(burst)[0] : '5' };
}

function parseBytes(text: string, burst: OptGroup | undefined): Parsed | undefined {
  const m = /^(\d+)([mk]?)b\/s$/.exec(text);
  if (!m) return undefined;
  const cost = bytesToCost(Number(m[1]) * factor(m[2]));
  if (cost === 0) return undefined;
  if (!burst) return { rate: printBytes(cost), writtenUnit: 15000, printedUnit: 15000 };
  const b = /^(\d+)([mk]?)b?$/.exec(optValues(burst)[0] ?? '');
  if (!b) return undefined;
  const per = costToBytes(cost);
  const n = Math.ceil((Number(b[1]) * factor(b[2])) / per);
  const total = per * n;
  const [name, t] = BYTE_UNITS.find(([, t]) => total >= t) ?? BYTE_UNITS[2]!;
  return {
    rate: printBytes(cost),
    writtenUnit: 60000,
    printedUnit: 60000,
    burst: `${Math.floor(total / t)}${name}b`,
  };
}

const RATE_OPTS = ['--hashlimit-upto', '--hashlimit-above', '--hashlimit'];
const MODES = ['SRCIP', 'SRCPORT', 'DSTIP', 'DSTPORT'];

/** `! --hashlimit-upto` is `--hashlimit-above` and the other way round. */
function rateOption(g: OptGroup): string {
  const above = optName(g) === '--hashlimit-above';
  return above !== isNegated(g) ? '--hashlimit-above' : '--hashlimit-upto';
}

/** With rate-match, the interval defaults to the written rate's unit in seconds; 1 is not printed. */
function rateInterval(opts: OptGroup[], unitSeconds: number): OptGroup[] {
  const withIt = withDefault(opts, ['--hashlimit-rate-interval', String(unitSeconds)]);
  return dropDefault(withIt, '--hashlimit-rate-interval', '1');
}

export const hashlimit: OptFn = (opts, family: Family) => {
  const rateG = opts.find((g) => RATE_OPTS.includes(optName(g)));
  const burstG = find(opts, '--hashlimit-burst');
  const text = rateG ? (optValues(rateG)[0] ?? '') : '';
  const rateMatch = has(opts, '--hashlimit-rate-match');
  const bytes = text.endsWith('b/s');
  const p = bytes ? parseBytes(text, burstG) : parsePackets(text, burstG, rateMatch);
  if (!rateG || !p || (bytes && rateMatch)) return opts;
  const expire = find(opts, '--hashlimit-htable-expire');
  const expireMs = expire ? Number(optValues(expire)[0]) : p.writtenUnit;
  const full = family === 4 ? '32' : '128';
  let out = opts.filter(
    (g) => ![...RATE_OPTS, '--hashlimit-burst', '--hashlimit-htable-expire'].includes(optName(g)),
  );
  out.push([rateOption(rateG), p.rate]);
  if (p.burst !== undefined) out.push(['--hashlimit-burst', p.burst]);
  if (expireMs !== p.printedUnit) out.push(['--hashlimit-htable-expire', String(expireMs)]);
  out = out.map((g) =>
    optName(g) === '--hashlimit-mode'
      ? ['--hashlimit-mode', sortList(MODES)(optValues(g)[0] ?? '').toLowerCase()]
      : g,
  );
  out = out.filter((g) => !(optName(g) === '--hashlimit-mode' && optValues(g)[0] === 'none'));
  out = dropDefault(dropDefault(out, '--hashlimit-srcmask', full), '--hashlimit-dstmask', full);
  out = dropDefault(out, '--hashlimit-htable-gcinterval', '1000');
  if (rateMatch) out = rateInterval(out, p.writtenUnit / 1000);
  return dropDefault(dropDefault(out, '--hashlimit-htable-size', '0'), '--hashlimit-htable-max', '0');
};
