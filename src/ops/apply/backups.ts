/**
 * The host's rule backups (/var/backups/fleet/<UTC time>-<tx>.v4|.v6) with the outcome of the
 * transaction that took each (`<backup>.outcome`): list them, read one, pick one for rollback
 * or restore --at. Restoring one goes through the same safe transaction as apply.
 */
import { HostError } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import type { CompileOutput } from '../../ruleset/index.js';
import { parseSave } from '../../ruleset/index.js';
import { parseSections, SECTION_FN } from '../sections.js';
import { HOST_BACKUP_DIR, HOST_STATE_DIR } from './paths.js';

/** `20261122T013028.123Z-3f9a1c02e4`: a backup's name, also its time (names sort by time). */
export const BACKUP_NAME = /^(\d{8}T\d{6}(?:\.\d{3})?Z)-[a-z0-9-]+$/;
/** The time a name starts with (what the host scripts' BACKUP_NAME_GLOB lets through). */
export const BACKUP_TIME = /^(\d{8}T\d{6}(?:\.\d{3})?Z)-/;

/**
 * One line per backup: its name, then its outcome record's last line without the time
 * (`unknown` without a record). A `pending` transaction is `armed` while its marker exists,
 * else `interrupted` (cut before its watchdog was armed: nothing changed).
 */
const LIST_SCRIPT = `${SECTION_FN}
section backups
for f in ${HOST_BACKUP_DIR}/*.v4; do
  [ -f "$f" ] || continue
  n=$(basename "$f" .v4); o=unknown
  [ -f "${HOST_BACKUP_DIR}/$n.outcome" ] && o=$(tail -n 1 "${HOST_BACKUP_DIR}/$n.outcome" | cut -d" " -f2-)
  case "$o" in pending*) if [ -e "${HOST_STATE_DIR}/armed/\${n#*-}" ]; then o=armed; else o=interrupted; fi ;; esac
  printf '%s %s\\n' "$n" "$o"
done
section end
`;

/** What became of the transaction that took a backup. */
export type Outcome =
  | 'confirmed'
  | 'rolled-back'
  | 'failed'
  | 'aborted'
  | 'interrupted'
  | 'armed'
  /** Taken by an apply that changed nothing (upkeep.ts): the live rules then, no change came. */
  | 'snapshot'
  | 'unknown';

export interface BackupEntry {
  name: string;
  outcome: Outcome;
  /** The record's words after the outcome ('' when none). */
  detail: string;
}

/**
 * Whether the change that took this backup stayed on the host: confirmed, or a restore that
 * failed (some of it may be live), or unknown (older backups without a record count as stayed).
 */
export function stayed(b: BackupEntry): boolean {
  return b.outcome === 'confirmed' || b.outcome === 'failed' || b.outcome === 'unknown';
}

const OUTCOMES = new Set([
  'confirmed',
  'rolled-back',
  'failed',
  'aborted',
  'interrupted',
  'armed',
  'snapshot',
]);

export function parseBackupLine(line: string): BackupEntry | null {
  const [name = '', word = '', ...rest] = line.trim().split(' ');
  if (!BACKUP_NAME.test(name)) return null;
  const outcome = (OUTCOMES.has(word) ? word : 'unknown') as Outcome;
  return { name, outcome, detail: rest.join(' ') };
}

/** $1 backup name (validated against BACKUP_NAME before it is sent). */
const READ_SCRIPT = `${SECTION_FN}
b=${HOST_BACKUP_DIR}/$1
[ -f "$b.v4" ] || { section missing; exit 0; }
section v4
cat "$b.v4"
if [ -f "$b.v6" ]; then section v6; cat "$b.v6"; fi
section end
`;

/** The host's backups, oldest first. */
export async function listBackups(session: RemoteSession): Promise<BackupEntry[]> {
  const res = await session.run(LIST_SCRIPT, { timeoutMs: 20_000 });
  const body = parseSections(res.stdout).get('backups') ?? '';
  return body
    .split('\n')
    .map(parseBackupLine)
    .filter((b) => b !== null)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function readBackup(
  session: RemoteSession,
  name: string,
): Promise<{ v4: string; v6: string | null }> {
  if (!BACKUP_NAME.test(name)) throw new HostError(`"${name}" is not a backup name`);
  const s = parseSections((await session.run(READ_SCRIPT, { args: [name], timeoutMs: 20_000 })).stdout);
  if (s.has('missing') || !s.has('end')) throw new HostError(`backup ${name} is not on the host`);
  return { v4: `${s.get('v4') ?? ''}\n`, v6: s.has('v6') ? `${s.get('v6')}\n` : null };
}

/** The time of a backup as a Date. */
export function backupTime(name: string): Date {
  const t = BACKUP_TIME.exec(name)?.[1] ?? '';
  const iso = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13)}`;
  return new Date(iso);
}

/** What to restore: a backup, the live rules as they are (no change since), or nothing fits. */
export type Pick = { backup: string } | { current: string } | { none: string };

/** rollback: the rules before the last change that stayed (rolled-back ones are skipped). */
export function pickRollback(list: readonly BackupEntry[]): Pick {
  const last = list.filter(stayed).at(-1);
  return last
    ? { backup: last.name }
    : { none: 'no backup of a change that stayed (see fleet backups HOST)' };
}

/**
 * restore --at: a backup name picks itself; a time picks the rules live then — the backup
 * taken by the first change after it that stayed holds them; with no such change the live
 * rules are still those. A time before the oldest backup cannot be answered (older ones pruned).
 */
export function pickAt(list: readonly BackupEntry[], at: string): Pick {
  if (list.some((b) => b.name === at)) return { backup: at };
  const when = Date.parse(at);
  const oldest = list[0];
  if (Number.isNaN(when)) return { none: `"${at}" is neither a backup name nor a time` };
  if (!oldest || backupTime(oldest.name).getTime() > when) {
    const since = oldest ? `the oldest backup is ${oldest.name}` : 'the host has no backup';
    return { none: `fleet cannot tell the rules live at ${at}: ${since}` };
  }
  const holds = (b: BackupEntry) => stayed(b) || b.outcome === 'snapshot';
  const next = list.find((b) => backupTime(b.name).getTime() > when && holds(b));
  return next ? { backup: next.name } : { current: `no change stayed since ${at}: the live rules are those` };
}

/** A backup as the "compiled" side of a transaction: restored whole, nothing preserved. */
export function backupAsDesired(b: { v4: string; v6: string | null }): CompileOutput {
  const v4 = parseSave(b.v4, { family: 4 });
  const v6 = parseSave(b.v6 ?? '', { family: 6 });
  return {
    v4: b.v4,
    v6: b.v6 ?? '',
    rulesets: { v4, v6 },
    noflush: false,
    preserve: [],
    takeover: [],
    exact: true,
  };
}
