/**
 * The host's rule backups (/var/backups/fleet/<UTC time>-<tx>.v4|.v6): list them, read one,
 * pick one by time. Restoring one goes through the same safe transaction as apply.
 */
import { HostError } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import type { CompileOutput } from '../../ruleset/index.js';
import { parseSave } from '../../ruleset/index.js';
import { parseSections, SECTION_FN } from '../sections.js';
import { HOST_BACKUP_DIR } from './paths.js';

/** `20261122T013028.123Z-3f9a1c02e4`: a backup's name, also its time (names sort by time). */
export const BACKUP_NAME = /^(\d{8}T\d{6}(?:\.\d{3})?Z)-[a-z0-9-]+$/;

const LIST_SCRIPT = `${SECTION_FN}
section backups
for f in ${HOST_BACKUP_DIR}/*.v4; do [ -f "$f" ] && basename "$f" .v4; done
section end
`;

/** $1 backup name (validated against BACKUP_NAME before it is sent). */
const READ_SCRIPT = `${SECTION_FN}
b=${HOST_BACKUP_DIR}/$1
[ -f "$b.v4" ] || { section missing; exit 0; }
section v4
cat "$b.v4"
if [ -f "$b.v6" ]; then section v6; cat "$b.v6"; fi
section end
`;

export async function listBackups(session: RemoteSession): Promise<string[]> {
  const res = await session.run(LIST_SCRIPT, { timeoutMs: 20_000 });
  const body = parseSections(res.stdout).get('backups') ?? '';
  return body
    .split('\n')
    .filter((n) => BACKUP_NAME.test(n))
    .sort();
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
  const t = BACKUP_NAME.exec(name)?.[1] ?? '';
  const iso = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13)}`;
  return new Date(iso);
}

/** The newest backup taken at or before `at` (a backup name picks itself). */
export function pickBackup(names: readonly string[], at: string): string | undefined {
  if (names.includes(at)) return at;
  const when = Date.parse(at);
  if (Number.isNaN(when)) return undefined;
  return names.filter((n) => backupTime(n).getTime() <= when).at(-1);
}

/** A backup as the "compiled" side of a transaction: restored whole, nothing preserved. */
export function backupAsDesired(b: { v4: string; v6: string | null }): CompileOutput {
  const v4 = parseSave(b.v4, { family: 4 });
  const v6 = parseSave(b.v6 ?? '', { family: 6 });
  return { v4: b.v4, v6: b.v6 ?? '', rulesets: { v4, v6 }, noflush: false, preserve: [] };
}
