/**
 * Reading inventory/bans.yaml: every problem at once, each with file:line:col, before anything
 * is sent. Hand-edited entries are normalized like command-line ones (a bare address is /32 or
 * /128, host bits cleared); a CIDR listed twice counts once (the first entry wins, the next write
 * drops the other); a too-wide CIDR without `force: true` is a problem.
 */
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLMap,
} from 'yaml';
import type { Problem, SourcePos } from '../errors.js';
import { isTooWide, MIN_PREFIX, parseBanTarget } from './address.js';
import type { BanEntry } from './types.js';

export const ENTRY_KEYS = ['address', 'reason', 'who', 'when', 'expires', 'force'] as const;

export interface ParsedBanFile {
  doc: Document;
  entries: BanEntry[];
  problems: Problem[];
  /** Where each entry's address is written (by canonical CIDR), for later problems (the guard). */
  positions: Map<string, SourcePos>;
}

interface Ctx {
  file: string;
  lc: LineCounter;
  problems: Problem[];
  positions: Map<string, SourcePos>;
}

export function parseBanText(text: string, file: string): ParsedBanFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  const ctx: Ctx = { file, lc, problems: [], positions: new Map() };
  for (const e of doc.errors) ctx.problems.push(at(ctx, e.pos[0], '', yamlMessage(e.message)));
  if (ctx.problems.length > 0) return { doc, entries: [], problems: ctx.problems, positions: ctx.positions };
  const list = banItems(doc, ctx);
  const entries = dedupe(list.flatMap((node, i) => readEntry(node, `bans[${i}]`, ctx) ?? []));
  return { doc, entries, problems: ctx.problems, positions: ctx.positions };
}

function yamlMessage(m: string): string {
  return `YAML: ${m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function at(ctx: Ctx, offset: number, path: string, message: string): Problem {
  const { line, col } = ctx.lc.linePos(offset);
  return { pos: { file: ctx.file, line, col }, path: path || undefined, message };
}

function banItems(doc: Document, ctx: Ctx): Node[] {
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isMap(root)) return fail(ctx, root, '', 'expected a mapping with one key, "bans"');
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'bans') fail(ctx, pair.key as Node, key, `unknown key "${key}"; the only key is "bans"`);
  }
  const bans = root.get('bans', true) as Node | undefined;
  if (bans === undefined || (isScalar(bans) && bans.value === null)) return [];
  if (!isSeq(bans)) return fail(ctx, bans, 'bans', 'expected a list of bans ("- address: ..." lines)');
  return bans.items as Node[];
}

function fail(ctx: Ctx, node: Node | null | undefined, path: string, message: string): [] {
  ctx.problems.push(at(ctx, node?.range?.[0] ?? 0, path, message));
  return [];
}

function readEntry(node: Node, path: string, ctx: Ctx): BanEntry | undefined {
  if (!isMap(node))
    return void fail(ctx, node, path, 'expected a mapping with address, reason, who, when, expires');
  const before = ctx.problems.length;
  checkKeys(node, path, ctx);
  const target = readAddress(node, path, ctx);
  const who = str(node, 'who', path, ctx) ?? '';
  const when = time(node, 'when', path, ctx) ?? '';
  if (!target || ctx.problems.length > before) return undefined;
  const e = { ...target, who, when };
  const reason = str(node, 'reason', path, ctx);
  const expires = time(node, 'expires', path, ctx);
  const force = node.get('force') === true;
  if (isTooWide(e) && !force)
    fail(ctx, node.get('address', true) as Node, `${path}.address`, tooWideMessage(e.cidr));
  return { ...e, ...(reason && { reason }), ...(expires && { expires }), ...(force && { force }) };
}

export function tooWideMessage(cidr: string): string {
  const why = `fleet refuses IPv4 prefixes shorter than /${MIN_PREFIX[4]} and IPv6 shorter than /${MIN_PREFIX[6]}`;
  return `"${cidr}" is too wide to ban (${why}); use --force (or "force: true" in bans.yaml) if you mean it`;
}

function checkKeys(node: YAMLMap, path: string, ctx: Ctx): void {
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(ENTRY_KEYS as readonly string[]).includes(key)) {
      fail(
        ctx,
        pair.key as Node,
        `${path}.${key}`,
        `unknown key "${key}"; allowed: ${ENTRY_KEYS.join(', ')}`,
      );
    }
  }
}

function readAddress(node: YAMLMap, path: string, ctx: Ctx) {
  const v = node.get('address', true) as Node | undefined;
  if (!isScalar(v) || v.value === null)
    return void fail(ctx, v ?? node, `${path}.address`, 'missing address');
  const r = parseBanTarget(String(v.value));
  if (!r.ok) return void fail(ctx, v, `${path}.address`, r.message);
  const { line, col } = ctx.lc.linePos(v.range?.[0] ?? 0);
  if (!ctx.positions.has(r.target.cidr)) ctx.positions.set(r.target.cidr, { file: ctx.file, line, col });
  return r.target;
}

function str(node: YAMLMap, key: string, path: string, ctx: Ctx): string | undefined {
  const v = node.get(key, true) as Node | undefined;
  if (v === undefined || (isScalar(v) && v.value === null)) return undefined;
  if (isScalar(v) && typeof v.value === 'string') return v.value;
  return void fail(ctx, v, `${path}.${key}`, `${key} must be text`);
}

function time(node: YAMLMap, key: string, path: string, ctx: Ctx): string | undefined {
  const s = str(node, key, path, ctx);
  if (s === undefined || !Number.isNaN(Date.parse(s))) return s && new Date(s).toISOString();
  return void fail(
    ctx,
    node.get(key, true) as Node,
    `${path}.${key}`,
    `"${s}" is not a time (use ISO 8601, e.g. 2025-06-01T12:00:00Z)`,
  );
}

function dedupe(entries: BanEntry[]): BanEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.cidr) && seen.add(e.cidr));
}
