/** Run the ban script on one host and read what it printed. */
import type { RemoteSession } from '../../remote/types.js';
import { type BackendCounts, mixedBackendMessage, parseHeld } from '../backends.js';
import { parseKeyValues, parseSections } from '../sections.js';
import type { BanMode, Family } from './rules.js';
import { BAN_SCRIPT } from './script.js';

export { BAN_SCRIPT };

export type BanOp = 'add' | 'del' | 'sync' | 'list';

/** A ban as it travels to the host: the CIDR and, for a timed ban, the seconds it has left. */
export interface PushTarget {
  /** Validated, canonical CIDR (bans/address.ts parseBanTarget): the host compares them as text. */
  cidr: string;
  family: Family;
  /** Seconds until the host lifts it by itself (ipset timeout); absent or 0: permanent. */
  ttlSeconds?: number;
  /** The epoch second it ends (rules mode writes it into the rule's comment, as the compiler does). */
  until?: number;
  /** Listed but over (expired in bans.yaml): a sync lifts it even when it keeps host-held bans. */
  over?: boolean;
}

/** A ban a host holds: what `fleet bans` shows and `bans pull` writes back. */
export interface HeldBan {
  cidr: string;
  family: Family;
  /** Seconds left on the host; 0: permanent. */
  timeout: number;
  /** Rules mode: the epoch second it ends, from the rule's comment (absent: permanent or ipset). */
  until?: number;
}

export interface PushInput {
  op: BanOp;
  targets: readonly PushTarget[];
  /** `auto` (default): ipset where the host has it. */
  mode?: BanMode | 'auto';
  /** The caller (an apply transaction) already holds the host's apply lock. */
  lockHeld?: boolean;
  /** sync: keep (and name) bans the host holds that the targets lack (one ledger), unless prune. */
  keepHeld?: boolean;
  timeoutMs?: number;
}

export interface PushOutcome {
  mode: BanMode;
  changed: boolean;
  /** Bans the host now has, per family. */
  count: Partial<Record<Family, number>>;
  added: number;
  removed: number;
  /** Boot files rewritten. */
  persisted: string[];
  /** Flows ended with conntrack -D; null where conntrack is not installed. */
  flowsEnded: number | null;
  /** Host time of `ipset restore` with a swap, ms (0 without a swap). */
  loadMs: number;
  /** Host time of a sync, ms (0 for ban and unban, which do not time themselves: fewer processes). */
  hostMs: number;
  /** Rules mode: timed bans found over and lifted by this run (the host's timer missed them). */
  expired: number;
  /** Rules mode: the expiry timer was armed for this epoch second (absent: already armed or none). */
  timerArmed?: number;
  /** Both iptables backends hold rules here: the one message (backends.ts). */
  mixed?: string;
  /** list: the bans the host holds; sync with keepHeld: those it kept although the list lacks them. */
  held: HeldBan[];
}

export class BanScriptError extends Error {}

export function banStdin(targets: readonly PushTarget[]): string {
  return targets
    .map((t) => {
      const ttl = t.over ? 'x' : Math.max(0, t.ttlSeconds ?? 0);
      return `${t.family} ${t.cidr} ${ttl}${ttl && t.until ? ` ${t.until}` : ''}\n`;
    })
    .join('');
}

export async function pushBans(session: RemoteSession, input: PushInput): Promise<PushOutcome> {
  const args = [
    input.op,
    input.mode ?? 'auto',
    input.lockHeld ? 'held' : 'lock',
    input.keepHeld ? 'keep' : 'prune',
    onlyFamily(input),
  ];
  const res = await session.run(BAN_SCRIPT, {
    args,
    stdin: banStdin(input.targets),
    timeoutMs: input.timeoutMs,
  });
  const sections = parseSections(res.stdout);
  const error = sections.get('error');
  if (error !== undefined) throw new BanScriptError(error.trim() || 'the ban script failed');
  if (res.code !== 0 || !sections.has('end')) throw new BanScriptError(failureText(res));
  return parseBanOutput(sections.get('ban'), sections.get('held') ?? sections.get('kept'));
}

/** The one family an add or del touches ('all' otherwise): the script reads only its raw table. */
export function onlyFamily(input: PushInput): '4' | '6' | 'all' {
  if (input.op !== 'add' && input.op !== 'del') return 'all';
  const fams = new Set(input.targets.map((t) => t.family));
  return fams.size === 1 ? (String([...fams][0]) as '4' | '6') : 'all';
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

export function parseHeldBans(body: string | undefined): HeldBan[] {
  return (body ?? '').split('\n').flatMap((line) => {
    const [f, cidr, timeout, until] = line.trim().split(' ');
    if ((f !== '4' && f !== '6') || !cidr) return [];
    const held: HeldBan = { cidr, family: Number(f) as Family, timeout: Number(timeout ?? 0) || 0 };
    if (Number(until) > 0) held.until = Number(until);
    return [held];
  });
}

export function parseBanOutput(body: string | undefined, held?: string): PushOutcome {
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
    loadMs: num('load_ms'),
    hostMs: num('host_ms'),
    expired: num('expired'),
    ...(kv.expiry_timer !== undefined && { timerArmed: Number(kv.expiry_timer) }),
    ...(kv.backends !== undefined && { mixed: mixedFromScript(kv.backends) }),
    held: parseHeldBans(held),
  };
}

/** `nft 14 9 legacy 0 1` (used, then the other backend, v4 v6 each) as the one message. */
function mixedFromScript(text: string): string | undefined {
  const [used = 'nft', u4, u6, other = 'legacy', o4, o6] = text.trim().split(/\s+/);
  const counts = { [used]: parseHeld(`${u4} ${u6}`), [other]: parseHeld(`${o4} ${o6}`) } as BackendCounts;
  return counts.legacy && counts.nft ? mixedBackendMessage(counts, used) : undefined;
}
