/**
 * Compare-and-swap for apply: the part of a host's rules a restore rewrites, as it was when the
 * plan was made, reduced to one digest the transaction script recomputes on the host right
 * before its swap. If another writer (fail2ban, Docker, an admin) changed that part since the
 * read, the digests differ and the script does not swap.
 *
 * The scope comes from the restore text itself: a full restore rewrites every table it names;
 * a `--noflush` restore rewrites only the chains it declares, fills, flushes or deletes. Inside
 * the scope a line counts as read (`:CHAIN POLICY` with its counters stripped, `-A` rules);
 * comments and COMMIT do not, and a table with nothing but ACCEPT policies there counts as
 * absent. The same reduction is written twice, here and as the awk of CAS_FN (run on the
 * host), and a unit test runs both on the same dumps.
 */
import { createHash } from 'node:crypto';

interface Scope {
  /** table → null (the whole table) or the chains in scope. */
  tables: Map<string, Set<string> | null>;
}

const CHAIN_OPS = new Set(['-A', '-F', '-X', '-D', '-I', '-R', '-N', '-Z', '-E']);

export function casScope(restoreText: string, noflush: boolean): Scope {
  const tables = new Map<string, Set<string> | null>();
  let table = '';
  for (const line of restoreText.split('\n')) {
    if (line.startsWith('*')) {
      table = line.slice(1);
      tables.set(table, noflush ? new Set() : null);
      continue;
    }
    const chains = tables.get(table);
    if (!chains) continue;
    const f = fields(line);
    if (line.startsWith(':')) chains.add(f[0]!.slice(1));
    else if (CHAIN_OPS.has(f[0] ?? '') && f.length >= 2) chains.add(f[1]!);
  }
  return { tables };
}

/**
 * The lines of `iptables-save` output inside the scope, counters stripped. A table whose lines
 * in scope are only ACCEPT policies (no rule, no other policy, no user chain) counts as absent:
 * that is what an iptables-legacy table the host never used looks like once something touched
 * it — the transaction's own `restore --test` does, between the read and the check.
 */
export function casLines(saveText: string, scope: Scope): string[] {
  const out: string[] = [];
  let block: string[] = [];
  let kept = false;
  const flush = () => {
    if (kept) out.push(...block);
    block = [];
    kept = false;
  };
  let chains: Set<string> | null | undefined;
  for (const line of saveText.split('\n')) {
    if (line.startsWith('*')) {
      flush();
      chains = scope.tables.get(line.slice(1));
      if (chains !== undefined) block.push(line);
      continue;
    }
    if (chains === undefined || line.startsWith('#') || line.startsWith('COMMIT')) continue;
    const f = fields(line);
    if (line.startsWith(':')) {
      if (chains !== null && !chains.has(f[0]!.slice(1))) continue;
      block.push(line.replace(/ \[[0-9]+:[0-9]+\]$/, ''));
      if (f[1] !== 'ACCEPT') kept = true;
    } else if (f[0] === '-A' && (chains === null || chains.has(f[1] ?? ''))) {
      block.push(line);
      kept = true;
    }
  }
  flush();
  return out;
}

export function casDigest(saveText: string, restoreText: string, noflush: boolean): string {
  const lines = casLines(saveText, casScope(restoreText, noflush));
  return createHash('sha256')
    .update(lines.map((l) => `${l}\n`).join(''))
    .digest('hex');
}

/** The chains whose lines differ between two scoped readings (for the failure's reason). */
export function changedChains(before: readonly string[], after: readonly string[]): string[] {
  const byChain = (lines: readonly string[]) => {
    const m = new Map<string, string[]>();
    let table = '';
    for (const l of lines) {
      if (l.startsWith('*')) table = l.slice(1);
      else {
        const f = fields(l);
        const key = `${table}/${l.startsWith(':') ? f[0]!.slice(1) : (f[1] ?? '')}`;
        m.set(key, [...(m.get(key) ?? []), l.startsWith(':') ? '' : l]);
      }
    }
    return m;
  };
  const a = byChain(before);
  const b = byChain(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys.filter((k) => (a.get(k) ?? []).join('\n') !== (b.get(k) ?? []).join('\n')).sort();
}

function fields(line: string): string[] {
  return line.trim().split(/[ \t]+/);
}

/**
 * The host's half, for the transaction script: `cas_lines RESTORE_FILE < SAVE` prints the
 * scoped lines (as casLines), `cas_check SAVE_CMD RESTORE_FILE DIGEST` fails when they moved.
 * Uses $nf (--noflush or empty) of the script.
 */
export const CAS_FN = `cas_lines() {
  awk -v whole="$([ -n "$nf" ] && echo 0 || echo 1)" '
    FILENAME == ARGV[1] {
      if (substr($0, 1, 1) == "*") { t = substr($0, 2); tab[t] = 1; next }
      if (!(t in tab)) next
      if (substr($0, 1, 1) == ":") { sc[t SUBSEP substr($1, 2)] = 1; next }
      if ($1 ~ /^-[AFXDIRNZE]$/ && NF >= 2) sc[t SUBSEP $2] = 1
      next
    }
    function flush(  i) { if (kept) for (i = 1; i <= n; i++) print buf[i]; n = 0; kept = 0 }
    substr($0, 1, 1) == "*" { flush(); t = substr($0, 2); on = (t in tab); if (on) buf[++n] = $0; next }
    !on || substr($0, 1, 1) == "#" || substr($0, 1, 6) == "COMMIT" { next }
    substr($0, 1, 1) == ":" {
      if (whole == 1 || (t SUBSEP substr($1, 2)) in sc) {
        sub(/ \\[[0-9]+:[0-9]+\\]$/, ""); buf[++n] = $0; if ($2 != "ACCEPT") kept = 1
      }
      next
    }
    $1 == "-A" && (whole == 1 || (t SUBSEP $2) in sc) { buf[++n] = $0; kept = 1 }
    END { flush() }
  ' "$1" -
}
cas_check() {
  [ -z "$3" ] && return 0
  now=$("$1" 2>/dev/null | cas_lines "$2")
  [ "$(printf '%s' "$now" | awk '{ print }' | sha256sum | cut -d' ' -f1)" = "$3" ]
}`;
