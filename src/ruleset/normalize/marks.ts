/**
 * Marks, TOS and DSCP as the kernel prints them back. MARK and CONNMARK keep one operation,
 * `--set-xmark value/mask` (`--set-mark 0x10` is `--set-xmark 0x10/0xffffffff`, `--or-mark m`
 * is `m/m`, `--and-mark m` is `0x0/~m`, `--xor-mark m` is `m/0x0`); CONNMARK's save and
 * restore always show both masks. (`--set-mark v/m` clears `v|m`, as libxt_MARK does.) TOS is `0xVV/0xMM` (names have mask 0x3f, numbers 0xff);
 * DSCP classes become numbers.
 */
import { isNegated, type OptGroup, optName, optValues } from './groups.js';
import { hex, parseUint, reprint, U32, valueMask } from './numbers.js';
import { find, has, mapValue, type OptFn, renameAll } from './opts.js';

function xmark(value: number, mask: number): OptGroup {
  return ['--set-xmark', `${hex(value >>> 0)}/${hex(mask >>> 0)}`];
}

/** One mark operation as `--set-xmark`, or undefined when its value cannot be read. */
function markOp(g: OptGroup): OptGroup | undefined {
  const vm = valueMask(optValues(g)[0] ?? '');
  if (!vm) return undefined;
  const { value, mask } = vm;
  switch (optName(g)) {
    case '--set-mark': // the kernel clears the value's own bits too
      return xmark(value, mask === undefined ? U32 : value | mask);
    case '--set-xmark':
      return xmark(value, mask ?? U32);
    case '--and-mark':
      return mask === undefined ? xmark(0, ~value) : undefined;
    case '--or-mark':
      return mask === undefined ? xmark(value, value) : undefined;
    case '--xor-mark':
      return mask === undefined ? xmark(value, 0) : undefined;
    default:
      return undefined;
  }
}

const MARK_OPS = ['--set-mark', '--set-xmark', '--and-mark', '--or-mark', '--xor-mark'];

const markTarget: OptFn = (opts) => opts.map((g) => (MARK_OPS.includes(optName(g)) ? (markOp(g) ?? g) : g));

/** CONNMARK --save-mark/--restore-mark: `--mask m` is both masks; absent masks are all ones. */
const connmarkTarget: OptFn = (opts) => {
  const out = markTarget(opts, 4);
  if (!has(out, '--save-mark', '--restore-mark')) return out;
  const mask = find(out, '--mask');
  const both = mask ? optValues(mask)[0]! : hex(U32);
  const rest = out.filter((g) => optName(g) !== '--mask');
  const fill = (name: string) => (has(rest, name) ? [] : [[name, both]]);
  return mapValue(
    mapValue(
      [...rest, ...fill('--nfmask'), ...fill('--ctmask')],
      '--nfmask',
      reprint((n) => hex(n)),
    ),
    '--ctmask',
    reprint((n) => hex(n)),
  );
};

/** `-m mark --mark v[/m]`: hex, the mask only when not all ones. */
function markMatchValue(text: string): string {
  const vm = valueMask(text);
  if (!vm) return text;
  const mask = vm.mask ?? U32;
  return mask === U32 ? hex(vm.value) : `${hex(vm.value)}/${hex(mask)}`;
}

const markMatch: OptFn = (opts) => mapValue(opts, '--mark', markMatchValue);

const TOS_NAMES: Record<string, number> = {
  'minimize-delay': 0x10,
  'maximize-throughput': 0x08,
  'maximize-reliability': 0x04,
  'minimize-cost': 0x02,
  'normal-service': 0x00,
};

const tos = (value: number, mask: number) => `${hex(value & 0xff, 2)}/${hex(mask & 0xff, 2)}`;

/** A TOS `value[/mask]` or name as `0xVV/0xMM`. */
function tosValue(text: string): string {
  const named = TOS_NAMES[text.toLowerCase()];
  if (named !== undefined) return tos(named, 0x3f);
  const vm = valueMask(text);
  return vm ? tos(vm.value, vm.mask ?? 0xff) : text;
}

function tosOp(g: OptGroup): OptGroup {
  const v = parseUint(optValues(g)[0] ?? '');
  if (optName(g) === '--set-tos') return ['--set-tos', tosValue(optValues(g)[0] ?? '')];
  if (v === undefined) return g;
  if (optName(g) === '--and-tos') return ['--set-tos', tos(0, ~v)];
  if (optName(g) === '--or-tos') return ['--set-tos', tos(v, v)];
  if (optName(g) === '--xor-tos') return ['--set-tos', tos(v, 0)];
  return g;
}

const tosTarget: OptFn = (opts) => opts.map((g) => (isNegated(g) ? g : tosOp(g)));

/** DSCP class names (RFC 2474, 2597, 3246) → code points. */
function dscpClass(name: string): number | undefined {
  const n = name.toUpperCase();
  if (n === 'BE') return 0;
  if (n === 'EF') return 46;
  const cs = /^CS([0-7])$/.exec(n);
  if (cs) return Number(cs[1]) * 8;
  const af = /^AF([1-4])([1-3])$/.exec(n);
  return af ? Number(af[1]) * 8 + Number(af[2]) * 2 : undefined;
}

const dscpHex = reprint((n) => hex(n, 2));

function dscp(opt: string, classOpt: string): OptFn {
  return (opts) =>
    mapValue(renameAll(opts, { [classOpt]: opt }), opt, (v) => {
      const c = dscpClass(v);
      return c === undefined ? dscpHex(v) : hex(c, 2);
    });
}

export const MARK_MATCHES: Record<string, OptFn> = {
  mark: markMatch,
  connmark: markMatch,
  tos: (o) => mapValue(o, '--tos', tosValue),
  dscp: dscp('--dscp', '--dscp-class'),
};

export const MARK_TARGETS: Record<string, OptFn> = {
  MARK: markTarget,
  CONNMARK: connmarkTarget,
  TOS: tosTarget,
  DSCP: dscp('--set-dscp', '--set-dscp-class'),
  TCPMSS: (o) => mapValue(o, '--set-mss', reprint(String)),
};
