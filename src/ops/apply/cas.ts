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
 * absent. The same reduction is written twice, here and as the awk of BACKUP_CAS_FN (run on the
 * host), and a unit test runs both on the same dumps.
 */
import { createHash } from 'node:crypto';
import { BUILTIN_CHAINS } from '../../ruleset/index.js';
import { MARK } from '../sections.js';

/** The awk lines of `chains(TABLE)`: each table's built-in chains, from the ruleset's own list. */
const AWK_BUILTIN_CHAINS = Object.entries(BUILTIN_CHAINS)
  .map(([t, chains]) => `      if (t == "${t}") return "${chains.join(' ')}"`)
  .join('\n');

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
 * The host's half: `backup_cas DIGEST4 DIGEST6`, run once the backup is written ($b.v4, and $b.v6
 * where the host has ip6tables-save), i.e. the backup *is* the compare-and-swap's read: one read
 * of the rules serves both (no second pair of saves). One awk, both families: prints the backup
 * (section `backup`, its path, then `backup4`/`backup6`), adds to it, empty and accepting, the
 * tables the staged rules ($s4, $s6) touch and it lacks (restoring the backup then resets those
 * too), and reduces it as casLines does (the scope from the staged files) into "$cas.4", "$cas.6";
 * one sha256sum hashes them. Fails when a family's digest moved: $raced says which (v4 first).
 * An empty digest, or no staged file for the family (upkeep: none), skips its check. Uses $nf
 * (--noflush or empty), $state and $tx of the script; its files are "$cas".*.
 */
export const BACKUP_CAS_FN = `backup_cas() {
  raced=""; c4=$1; c6=$2; cas="$state/staged/$tx.cas"
  st4=\${s4:-}; [ -f "$st4" ] || { st4=/dev/null; c4=""; }
  st6=\${s6:-}; [ -f "$st6" ] || { st6=/dev/null; c6=""; }
  [ -f "$b.v6" ] || c6=""
  o4=""; [ -z "$c4" ] || o4="$cas.4"
  o6=""; [ -z "$c6" ] || o6="$cas.6"
  set -- "$b.v4" "$st4" "$o4"
  [ -f "$b.v6" ] && set -- "$@" "$b.v6" "$st6" "$o6"
  if [ -n "\${nf:-}" ]; then whole=0; else whole=1; fi
  section backup; echo "$b"
  awk -v whole="$whole" '
    function chains(t) {
${AWK_BUILTIN_CHAINS}
      return ""
    }
    function flush(  i) { if (kept) for (i = 1; i <= n; i++) print buf[i] > out; n = 0; kept = 0 }
    BEGIN {
      for (a = 1; a < ARGC; a += 3) {
        bk = ARGV[a]; st = ARGV[a + 1]; out = ARGV[a + 2]
        split("", tab); split("", sc); split("", have); nt = 0; t = ""
        while ((getline < st) > 0) {
          if (substr($0, 1, 1) == "*") { t = substr($0, 2); if (!(t in tab)) { tab[t] = 1; order[++nt] = t }; continue }
          if (t == "") continue
          if (substr($0, 1, 1) == ":") { sc[t SUBSEP substr($1, 2)] = 1; continue }
          if ($1 ~ /^-[AFXDIRNZE]$/ && NF >= 2) sc[t SUBSEP $2] = 1
        }
        close(st)
        printf "\\n${MARK}backup%s\\n", (a == 1 ? 4 : 6)
        if (out != "") printf "" > out
        on = 0; n = 0; kept = 0
        while ((getline < bk) > 0) {
          print
          if (substr($0, 1, 1) == "*") { flush(); t = substr($0, 2); have[t] = 1; on = (out != "" && (t in tab)); if (on) buf[++n] = $0; continue }
          if (!on || substr($0, 1, 1) == "#" || substr($0, 1, 6) == "COMMIT") continue
          if (substr($0, 1, 1) == ":") {
            if (whole == 1 || (t SUBSEP substr($1, 2)) in sc) {
              l = $0; sub(/ \\[[0-9]+:[0-9]+\\]$/, "", l); buf[++n] = l; if ($2 != "ACCEPT") kept = 1
            }
            continue
          }
          if ($1 == "-A" && (whole == 1 || (t SUBSEP $2) in sc)) { buf[++n] = $0; kept = 1 }
        }
        flush(); close(bk)
        if (out != "") close(out)
        add = ""
        for (i = 1; i <= nt; i++) {
          t = order[i]; if (t in have) continue
          add = add "*" t "\\n"
          m = split(chains(t), c, " ")
          for (j = 1; j <= m; j++) add = add ":" c[j] " ACCEPT [0:0]\\n"
          add = add "COMMIT\\n"
        }
        if (add != "") { printf "%s", add; printf "%s", add >> bk; close(bk) }
      }
      exit
    }' "$@"
  [ -n "$c4$c6" ] || return 0
  set --
  [ -z "$c4" ] || set -- "$cas.4"
  [ -z "$c6" ] || set -- "$@" "$cas.6"
  while read -r d f; do
    case "$f" in
      *.4) [ "$d" = "$c4" ] || raced=\${raced:-v4} ;;
      *) [ "$d" = "$c6" ] || raced=\${raced:-v6} ;;
    esac
  done <<FLEET_CAS
$(sha256sum "$@")
FLEET_CAS
  [ -z "$raced" ]
}`;
