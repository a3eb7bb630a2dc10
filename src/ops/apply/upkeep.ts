/**
 * An apply whose rules already match may still owe the host two things, both what `fleet audit`
 * checks and advises `fleet apply` for:
 *
 * - `rules-persisted`: the boot file does not hold the live rules (judged as the audit judges
 *   it: other tools' rules aside) → the live rules are written where the boot loads them, and
 *   the host reports `changed` (its boot file changed), detail `rules already match; persisted…`;
 * - `backup-recent`: the host has no fleet backup, or none younger than 30 days (the audit's
 *   default `--backup-max-age`) → a backup of the live rules, recorded `snapshot` (rollback
 *   skips it; restore --at finds it), kept on the host and locally; the host stays `unchanged`.
 *
 * The facts read in `upkeep` mode brings the boot files and the newest backup's age along, so a
 * host with nothing owed costs no extra round trip. No rule changes: no watchdog.
 */
import type { TaskResult } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import { type Claims, parseSave } from '../../ruleset/index.js';
import { persistProblem } from '../audit/persistence.js';
import type { LiveRules, UpkeepRead } from '../facts.js';
import { parseSections } from '../sections.js';
import { saveLocalBackup } from './local-backup.js';
import { UPKEEP_SCRIPT } from './scripts.js';

/** A backup older than this is refreshed (the audit's default --backup-max-age). */
export const SNAPSHOT_AFTER_S = 30 * 86_400;

export interface UpkeepNeeds {
  /** Why the boot file must be rewritten (null: it holds the live rules). */
  persist: string | null;
  /** Why a backup is taken (null: a recent one exists). */
  snapshot: string | null;
}

export function upkeepNeeds(
  read: UpkeepRead,
  live: LiveRules,
  ip6tables: boolean,
  claims: Claims,
): UpkeepNeeds {
  const problems = [
    persistProblem(parseSave(live.v4, { family: 4 }), read.boot.v4, claims),
    ip6tables ? persistProblem(parseSave(live.v6 ?? '', { family: 6 }), read.boot.v6, claims) : undefined,
  ];
  const why = problems.map((p, i) => p && `the IPv${i ? 6 : 4} boot file ${p}`).filter(Boolean);
  const age = read.backupAgeS;
  const snapshot =
    age === null
      ? 'the host had no backup'
      : age > SNAPSHOT_AFTER_S
        ? 'its newest backup was over 30 days old'
        : null;
  return { persist: why.length ? why.join('; ') : null, snapshot };
}

export interface UpkeepJob {
  session: RemoteSession;
  host: string;
  tx: string;
  keep: number;
  backupsDir: string;
}

/** Does what `needs` says; returns the words for the host's detail and what it wrote. */
export async function runUpkeep(
  job: UpkeepJob,
  needs: UpkeepNeeds,
): Promise<{ words: string[]; data: Record<string, unknown> }> {
  const yn = (v: string | null) => (v ? 'yes' : 'no');
  const res = await job.session.run(UPKEEP_SCRIPT, {
    args: [job.tx, String(job.keep), yn(needs.persist), yn(needs.snapshot)],
  });
  const s = parseSections(res.stdout);
  const error = s.get('error');
  if (error !== undefined || !s.has('end')) {
    throw new Error(
      `keeping the host up failed: ${error?.trim() || res.stderr.trim() || `exit ${res.code}`}`,
    );
  }
  const words: string[] = [];
  const data: Record<string, unknown> = {};
  const backup = s.get('backup')?.trim();
  if (backup) {
    const local = await saveLocalBackup(
      job.backupsDir,
      job.host,
      backup,
      s.get('backup4') ?? '',
      s.get('backup6') ?? null,
    );
    words.push(`took a backup (${needs.snapshot})`);
    Object.assign(data, { backup, localBackup: local.name });
  }
  const persisted = s.get('persisted')?.trim();
  if (persisted) {
    words.push(`persisted ${persisted} (${needs.persist})`);
    data.persisted = persisted;
  }
  return { words, data };
}

/** What the read before an unchanged plan saw. */
export interface UnchangedRead {
  live: LiveRules;
  ip6tables: boolean;
  upkeep?: UpkeepRead;
  compiled: { preserve: string[]; takeover: string[]; exact?: boolean };
}

/** The `unchanged` result of an apply, after whatever upkeep the host was owed. */
export async function keepUp(job: UpkeepJob, result: TaskResult, read: UnchangedRead): Promise<TaskResult> {
  if (!read.upkeep) return result;
  const { preserve, takeover, exact } = read.compiled;
  const needs = upkeepNeeds(read.upkeep, read.live, read.ip6tables, { preserve, takeover, exact });
  if (!needs.persist && !needs.snapshot) return result;
  const done = await runUpkeep(job, needs);
  return {
    status: needs.persist ? 'changed' : result.status,
    detail: `${result.detail}; ${done.words.join('; ')}`,
    data: { ...result.data, ...done.data },
  };
}
