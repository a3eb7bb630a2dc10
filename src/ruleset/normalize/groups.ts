/**
 * A rule's argv cut into its parts as iptables sees them: base options (-s -d -i -o -p -f),
 * match blocks (`-m NAME` and its options) and the target (`-j NAME` and its options).
 * An option is a group of tokens: an optional `!`, the option, then its values.
 */

export type OptGroup = string[];

export interface Block {
  name: string;
  opts: OptGroup[];
  /** Created by iptables for `-p tcp --dport 22` (no `-m tcp` written). */
  implicit?: boolean;
}

export interface RuleParts {
  base: OptGroup[];
  matches: Block[];
  target?: Block & { goto: boolean };
}

const LONG_ALIASES: Record<string, string> = {
  '--source': '-s',
  '--src': '-s',
  '--destination': '-d',
  '--dst': '-d',
  '--in-interface': '-i',
  '--out-interface': '-o',
  '--protocol': '-p',
  '--fragment': '-f',
  '--match': '-m',
  '--jump': '-j',
  '--goto': '-g',
};

export const BASE_ORDER = ['-s', '-d', '-i', '-o', '-p', '-f'];
const ZERO_ARITY_BASE = new Set(['-f']);
/** Options that always take exactly one value, whatever it looks like. */
const ONE_VALUE = new Set(['--comment', '--log-prefix', '--nflog-prefix', '--string', '--hex-string']);

function looksLikeOption(tok: string): boolean {
  return tok === '!' || /^--?[A-Za-z]/.test(tok);
}

/** Cut argv into option groups: `! --opt v1 v2` / `--opt ! v` (old syntax) become `['!','--opt','v1','v2']`. */
export function optionGroups(args: readonly string[]): OptGroup[] {
  const groups: OptGroup[] = [];
  let i = 0;
  while (i < args.length) {
    let neg = false;
    if (args[i] === '!') {
      neg = true;
      i++;
    }
    const opt = LONG_ALIASES[args[i] ?? ''] ?? args[i] ?? '!';
    i++;
    const values: string[] = [];
    if (
      args[i] === '!' &&
      !ZERO_ARITY_BASE.has(opt) &&
      args[i + 1] !== undefined &&
      !looksLikeOption(args[i + 1]!)
    ) {
      neg = true; // old syntax: -s ! 10.0.0.1
      i++;
    }
    if (ONE_VALUE.has(opt) && i < args.length) values.push(args[i++]!);
    else if (!ZERO_ARITY_BASE.has(opt))
      while (i < args.length && !looksLikeOption(args[i]!)) values.push(args[i++]!);
    groups.push(neg ? ['!', opt, ...values] : [opt, ...values]);
  }
  return groups;
}

export function optName(g: OptGroup): string {
  return g[0] === '!' ? g[1]! : g[0]!;
}

export function optValues(g: OptGroup): string[] {
  return g.slice(g[0] === '!' ? 2 : 1);
}

export function isNegated(g: OptGroup): boolean {
  return g[0] === '!';
}

export function withValues(g: OptGroup, values: string[]): OptGroup {
  return isNegated(g) ? ['!', optName(g), ...values] : [optName(g), ...values];
}

/** Options of a protocol's own match (loaded implicitly by `-p PROTO`). */
export const PROTO_OPTIONS: Record<string, readonly string[]> = {
  tcp: ['--dport', '--sport', '--destination-port', '--source-port', '--tcp-flags', '--syn', '--tcp-option'],
  udp: ['--dport', '--sport', '--destination-port', '--source-port'],
  icmp: ['--icmp-type'],
  'ipv6-icmp': ['--icmpv6-type'],
  sctp: ['--dport', '--sport', '--chunk-types'],
  dccp: ['--dport', '--sport', '--dccp-types', '--dccp-option'],
  udplite: ['--dport', '--sport'],
};

/** Module that iptables loads for `-p PROTO` options. */
export function protoModule(proto: string): string {
  return proto === 'ipv6-icmp' ? 'icmp6' : proto;
}

export function splitRule(args: readonly string[], proto?: string): RuleParts {
  const parts: RuleParts = { base: [], matches: [] };
  let block: Block | undefined;
  let inTarget = false;
  for (const g of optionGroups(args)) {
    const name = optName(g);
    if (name === '-m') {
      block = { name: optValues(g)[0] ?? '', opts: [] };
      inTarget = false;
      parts.matches.push(block);
    } else if (name === '-j' || name === '-g') {
      inTarget = true;
      parts.target = { name: optValues(g)[0] ?? '', opts: [], goto: name === '-g' };
    } else if (inTarget) parts.target!.opts.push(g);
    else if (BASE_ORDER.includes(name)) parts.base.push(g);
    else placeOption(parts, block, g, proto ?? protoOf(parts));
  }
  return parts;
}

function protoOf(parts: RuleParts): string | undefined {
  const p = parts.base.find((g) => optName(g) === '-p');
  return p && !isNegated(p) ? optValues(p)[0] : undefined;
}

/** Modules that take --dport/--sport themselves. */
const PORT_MODULES = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);

/** An option outside its module's block belongs to the protocol's implicit match, as iptables decides. */
function placeOption(
  parts: RuleParts,
  block: Block | undefined,
  g: OptGroup,
  proto: string | undefined,
): void {
  const isProtoOpt = proto !== undefined && (PROTO_OPTIONS[proto]?.includes(optName(g)) ?? false);
  if (block && !(isProtoOpt && !PORT_MODULES.has(block.name))) return void block.opts.push(g);
  const mod = proto ? protoModule(proto) : '';
  let implicit = parts.matches.find((b) => b.name === mod);
  if (!implicit) {
    implicit = { name: mod, opts: [], implicit: true };
    parts.matches.push(implicit);
  }
  implicit.opts.push(g);
}

export function joinRule(parts: RuleParts): string[] {
  const out: string[] = parts.base.flat();
  for (const m of parts.matches) out.push('-m', m.name, ...m.opts.flat());
  if (parts.target) out.push(parts.target.goto ? '-g' : '-j', parts.target.name, ...parts.target.opts.flat());
  return out;
}
