/**
 * The rule model as iptables-restore text. Full mode (the default) replaces every table it
 * names. Noflush mode (`iptables-restore --noflush`) touches only what fleet owns: it declares
 * (creating or flushing) fleet's chains, flushes and refills the built-in chains, deletes stale
 * chains, and never mentions the chains that stay (`keeps`), whose rules the kernel keeps as they are.
 */
import { type Chain, isBuiltinChain, type Ruleset, sortChains, sortTables, type Table } from './model.js';
import { joinArgs } from './tokens.js';

export interface RenderOptions {
  /** A comment line at the top (no newlines). */
  header?: string;
  /** Render for `iptables-restore --noflush`, leaving the chains `keeps` says stay untouched. */
  noflush?: {
    keeps?: (table: string, chain: string) => boolean;
    deleteChains?: ReadonlyArray<{ table: string; chain: string }>;
  };
}

export function renderRestore(rs: Ruleset, opts: RenderOptions = {}): string {
  const head = opts.header ? [`# ${opts.header}`] : [];
  const body = sortTables(rs.tables).flatMap((t) =>
    opts.noflush ? noflushTable(t, opts.noflush) : fullTable(t),
  );
  return `${[...head, ...body].join('\n')}\n`;
}

function declaration(c: Chain): string {
  return `:${c.name} ${c.policy ?? '-'} [0:0]`;
}

function ruleLines(c: Chain): string[] {
  return c.rules.map((r) => `-A ${c.name} ${joinArgs(r.args)}`.trimEnd());
}

function fullTable(t: Table): string[] {
  const chains = sortChains(t.name, t.chains);
  return [`*${t.name}`, ...chains.map(declaration), ...chains.flatMap(ruleLines), 'COMMIT'];
}

function noflushTable(t: Table, nf: NonNullable<RenderOptions['noflush']>): string[] {
  const chains = sortChains(t.name, t.chains).filter((c) => !nf.keeps?.(t.name, c.name));
  const stale = (nf.deleteChains ?? []).filter((d) => d.table === t.name).map((d) => d.chain);
  const builtins = chains.filter((c) => isBuiltinChain(t.name, c.name));
  return [
    `*${t.name}`,
    ...chains.map(declaration),
    ...stale.map((name) => `:${name} - [0:0]`),
    ...builtins.map((c) => `-F ${c.name}`),
    ...chains.flatMap(ruleLines),
    ...stale.map((name) => `-X ${name}`),
    'COMMIT',
  ];
}
