/** Run the ban script on one host and read what it printed. */
import type { RemoteSession } from '../../remote/types.js';
import { type BackendCounts, mixedBackendMessage, parseHeld } from '../backends.js';
import { parseKeyValues, parseSections } from '../sections.js';
import type { BanMode, Family } from './rules.js';
import { APPLY, CONSTANTS, HELPERS, SETUP } from './script.js';
import { MAIN, PERSIST } from './script-persist.js';

export type BanOp = 'add' | 'del' | 'sync';

/** The whole script (constant text: every value travels on stdin or as a quoted argument). */
export const BAN_SCRIPT = [CONSTANTS, HELPERS, APPLY, PERSIST, SETUP, MAIN].join('\n');

export interface PushInput {
  op: BanOp;
  /** Validated, canonical CIDRs (bans/address.ts parseBanTarget): the host compares them as text. */
  targets: readonly { cidr: string; family: Family }[];
  /** `auto` (default): ipset where the host has it. */
  mode?: BanMode | 'auto';
  /** The caller (an apply transaction) already holds the host's apply lock. */
  lockHeld?: boolean;
  timeoutMs?: number;
}

export interface PushOutcome {
  mode: BanMode;
  changed: boolean;
  /** Bans the host now has, per family the run looked at (add/del: the families given). */
  count: Partial<Record<Family, number>>;
  added: number;
  removed: number;
  /** Boot files rewritten. */
  persisted: string[];
  /** Flows ended with conntrack -D; null where conntrack is not installed. */
  flowsEnded: number | null;
  /** Host time of the set/chain change (ipset restore/swap or iptables-restore), ms. */
  applyMs: number;
  /** Host time of `ipset restore` (+ swap) alone, ms (0 in rules mode). */
  loadMs: number;
  hostMs: number;
  /** Both iptables backends hold rules here: the one message (backends.ts). */
  mixed?: string;
}

export class BanScriptError extends Error {}

export function banStdin(targets: PushInput['targets']): string {
  return targets.map((t) => `${t.family} ${t.cidr}\n`).join('');
}

export async function pushBans(session: RemoteSession, input: PushInput): Promise<PushOutcome> {
  const args = [input.op, input.mode ?? 'auto', input.lockHeld ? 'held' : 'lock'];
  const res = await session.run(BAN_SCRIPT, {
    args,
    stdin: banStdin(input.targets),
    timeoutMs: input.timeoutMs,
  });
  const sections = parseSections(res.stdout);
  const error = sections.get('error');
  if (error !== undefined) throw new BanScriptError(error.trim() || 'the ban script failed');
  if (res.code !== 0 || !sections.has('end')) throw new BanScriptError(failureText(res));
  return parseBanOutput(sections.get('ban'));
}

function failureText(res: { code: number | null; stderr: string; timedOut: boolean }): string {
  if (res.timedOut) return 'the ban script timed out';
  const err = res.stderr.trim().split('\n').slice(-3).join(' | ');
  return `the ban script failed (exit ${res.code ?? 'signal'})${err ? `: ${err}` : ''}`;
}

function counts(kv: Record<string, string>): Partial<Record<Family, number>> {
  const out: Partial<Record<Family, number>> = {};
  for (const f of [4, 6] as const) if (kv[`v${f}_after`] !== undefined) out[f] = Number(kv[`v${f}_after`]);
  return out;
}

export function parseBanOutput(body: string | undefined): PushOutcome {
  const kv = parseKeyValues(body);
  const num = (k: string) => Number(kv[k] ?? 0);
  return {
    mode: kv.mode === 'rules' ? 'rules' : 'ipset',
    changed: kv.changed === 'yes',
    count: counts(kv),
    added: num('v4_added') + num('v6_added'),
    removed: num('v4_removed') + num('v6_removed'),
    persisted: (kv.persisted ?? '').split(' ').filter(Boolean),
    flowsEnded: kv.conntrack_deleted === 'absent' ? null : num('conntrack_deleted'),
    applyMs: num('apply_ms'),
    loadMs: num('load_ms'),
    hostMs: num('host_ms'),
    ...(kv.backends !== undefined && { mixed: mixedFromScript(kv.backends) }),
  };
}

/** `nft 14 9 legacy 0 1` (used, then the other backend, v4 v6 each) as the one message. */
function mixedFromScript(text: string): string | undefined {
  const [used = 'nft', u4, u6, other = 'legacy', o4, o6] = text.trim().split(/\s+/);
  const counts = { [used]: parseHeld(`${u4} ${u6}`), [other]: parseHeld(`${o4} ${o6}`) } as BackendCounts;
  return counts.legacy && counts.nft ? mixedBackendMessage(counts, used) : undefined;
}
