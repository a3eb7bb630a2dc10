/**
 * Mixed backends: a host whose iptables-legacy and iptables-nft both hold rules runs both in the
 * kernel (a packet must pass each), while fleet reads and writes only the one `iptables` is.
 * Facts count what each backend holds, per family: rules and non-default policies of built-in
 * chains (a legacy `:INPUT DROP` with no rule still drops). facts, plan, apply, ban and audit
 * all say it with the one message below.
 */
export type Backend = 'legacy' | 'nft';

/** Rules + non-default policies each backend holds, per family. */
export type BackendCounts = Record<Backend, { v4: number; v6: number }>;

/**
 * Shell for the facts and ban scripts (needs `have`). `count_rules S4 [S6]` prints
 * "rules4 held4 rules6 held6" of one or two iptables-save texts (held = rules + policies other
 * than ACCEPT); `count_rules S4 S6 BACKEND` prints them as the facts' lines instead (rules_v4=,
 * rules_v6=, BACKEND_held=; `-`: no held line), so the facts need no subshell for them;
 * `backend_held legacy|nft` prints "held4 held6" of that backend, reading it with its own -save
 * commands (legacy only where its kernel tables exist: reading them would load the legacy
 * modules). The texts reach awk in its environment, up to 30,000 characters each (the kernel
 * takes 128 KB per string; a character may be 4 bytes where the shell counts UTF-8): a
 * here-document over 4 KB costs dash a process of its own to write it. Larger texts go as one.
 */
export const BACKENDS_FN = `count_awk='
  function add(l, i,  w) {
    if (l ~ /^-A/) r[i]++
    else if (l ~ /^:/) { split(l, w, " "); if (w[2] != "-" && w[2] != "ACCEPT") p[i]++ }
  }
  function text(s, i,  l, n, k) { n = split(s, l, "\\n"); for (k = 1; k <= n; k++) add(l[k], i) }
  BEGIN { if (env) { text(ENVIRON["FLEET_R4"], 0); text(ENVIRON["FLEET_R6"], 1); exit } }
  $0 == "@@fleet-next" { i = 1; next }
  { add($0, i + 0) }
  END {
    if (as == "") { print r[0] + 0, r[0] + p[0], r[1] + 0, r[1] + p[1]; exit }
    printf "rules_v4=%d\\nrules_v6=%d\\n", r[0], r[1]
    if (as != "-") printf "%s_held=%d %d\\n", as, r[0] + p[0], r[1] + p[1]
  }'
count_rules() {
  c6=\${2:-}
  if [ \${#1} -le 30000 ] && [ \${#c6} -le 30000 ]; then
    FLEET_R4=$1 FLEET_R6=$c6 awk -v as="\${3:-}" -v env=1 "$count_awk" </dev/null
  else
    awk -v as="\${3:-}" "$count_awk" <<FLEET_RULES
$1
@@fleet-next
$c6
FLEET_RULES
  fi
}
backend_held() {
  if [ "$1" = legacy ]; then
    a=""; b=""
    if { read -r _ < /proc/net/ip_tables_names; } 2>/dev/null && have iptables-legacy-save; then a=$(iptables-legacy-save 2>/dev/null); fi
    if { read -r _ < /proc/net/ip6_tables_names; } 2>/dev/null && have ip6tables-legacy-save; then b=$(ip6tables-legacy-save 2>/dev/null); fi
  else
    a=$(iptables-nft-save 2>/dev/null); b=$(ip6tables-nft-save 2>/dev/null)
  fi
  # Nothing read (no legacy tables: the usual host) holds nothing: no awk.
  if [ -z "$a$b" ]; then echo "0 0"; return; fi
  count_rules "$a" "$b" | awk '{ print $2, $4 }'
}`;

/** "3 5" (v4 v6) as the scripts print them. */
export function parseHeld(text: string | undefined): { v4: number; v6: number } {
  const [v4, v6] = (text ?? '').trim().split(/\s+/).map(Number);
  return { v4: Number.isFinite(v4) ? v4! : 0, v6: Number.isFinite(v6) ? v6! : 0 };
}

const held = (c: { v4: number; v6: number }) => c.v4 + c.v6;

export function isMixed(counts: BackendCounts): boolean {
  return held(counts.legacy) > 0 && held(counts.nft) > 0;
}

function describe(c: { v4: number; v6: number }): string {
  return [c.v4 && `${c.v4} IPv4`, c.v6 && `${c.v6} IPv6`].filter(Boolean).join(' and ');
}

/**
 * The one message for a mixed host, or undefined when it is not. `used` is the backend the
 * host's `iptables` command is (the one fleet reads and writes).
 */
export function mixedBackendMessage(counts: BackendCounts, used: string): string | undefined {
  if (!isMixed(counts)) return undefined;
  const mine: Backend = used === 'legacy' ? 'legacy' : 'nft';
  const other: Backend = mine === 'legacy' ? 'nft' : 'legacy';
  return (
    `both iptables backends hold rules (${other}: ${describe(counts[other])}, ${mine}: ${describe(counts[mine])} rules and non-default policies): ` +
    `the kernel runs both, and fleet reads and writes only ${mine} (what \`iptables\` is on this host); ` +
    `empty ${other} (\`iptables-${other}-save\` and \`ip6tables-${other}-save\` show it) or move its rules to ${mine}, then run fleet again`
  );
}
