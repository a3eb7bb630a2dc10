/**
 * Facts: what a host is and how its firewall is kept. One script, one round trip.
 * The `saveRules` variant also prints the live rules (iptables-save, ip6tables-save),
 * which plan, apply and audit diff against.
 */
import type { RemoteSession } from '../remote/types.js';
import { HOST_BACKUP_DIR, HOST_STATE_DIR } from './apply/paths.js';
import { type ArmedTx, parseArmed } from './armed.js';
import { BACKENDS_FN, type BackendCounts, isMixed, mixedBackendMessage, parseHeld } from './backends.js';
import { AWK_NOW, AWK_SHOW, MARK, parseKeyValues, parseSections, SECTION_FN } from './sections.js';

export type PackageManager = 'apt' | 'dnf' | 'yum' | 'none';
export type IptablesVariant = 'nft' | 'legacy' | 'none';

export interface Facts {
  os: string;
  osVersion: string;
  packageManager: PackageManager;
  iptables: IptablesVariant;
  iptablesVersion: string;
  ip6tables: boolean;
  ipset: boolean;
  conntrack: boolean;
  systemd: boolean;
  /** Where the host's boot loads rules from (Debian or RHEL convention), and whether it exists. */
  persistV4: string;
  persistV6: string;
  persisted: boolean;
  rulesV4: number;
  rulesV6: number;
  /** Rules and non-default policies each backend holds, per family: both backends, a mixed host. */
  backends: BackendCounts;
  /** Tools running that rebuild their chains on reload: `ufw`, `firewalld` (docs/coexistence.md). */
  activeTools: string[];
  /** Transactions swapped and not yet confirmed: their watchdog will restore a backup. */
  armed: ArmedTx[];
}

export interface LiveRules {
  v4: string;
  v6: string | null;
}

/** The upkeep read's awk: the boot files ($B4, $B6: "" when missing) and the backup's age. */
const UPKEEP_AWK = `${AWK_SHOW}
BEGIN { ${AWK_NOW} }
{ t = $1 }
END {
  show("boot4", ENVIRON["B4"]); show("boot6", ENVIRON["B6"])
  printf "\\n${MARK}backup_age\\n"
  if (t ~ /^[0-9]+$/) print now - t
}`;

/**
 * Fleet's own text: no value from the user appears in it. $1 = "save" to print the rules too.
 * FACTS_BODY leaves $p4 and $p6 (the boot rules files) set, for scripts that go on after it.
 * Each ruleset is read once (the counts and the printed rules come from the same read) and the
 * backend the `iptables` command is not asked again under its other name: a host's CPU for this
 * script went from ~24 to ~12 ms (bench/README.md), for facts, plan, apply and audit alike.
 */
export const FACTS_BODY = `
${SECTION_FN}
have() { command -v "$1" >/dev/null 2>&1; }
# key=yes or key=no, as the command says (no subshell).
yn() { k=$1; shift; if "$@"; then echo "$k=yes"; else echo "$k=no"; fi; }
${BACKENDS_FN}
. /etc/os-release 2>/dev/null
section facts
echo "os=\${ID:-unknown}"
echo "os_version=\${VERSION_ID:-}"
if have apt-get; then echo pkg=apt; elif have dnf; then echo pkg=dnf; elif have yum; then echo pkg=yum; else echo pkg=none; fi
v=$(iptables -V 2>/dev/null)
echo "iptables_version=$v"
case "$v" in *nf_tables*) variant=nft;; "") variant=none;; *) variant=legacy;; esac
echo "iptables=$variant"
yn ip6tables have ip6tables
yn ipset have ipset
yn conntrack have conntrack
yn systemd test -d /run/systemd/system
if [ -f /etc/redhat-release ] && [ ! -f /etc/debian_version ]; then
  p4=/etc/sysconfig/iptables; p6=/etc/sysconfig/ip6tables
else
  p4=/etc/iptables/rules.v4; p6=/etc/iptables/rules.v6
fi
echo "persist_v4=$p4"
echo "persist_v6=$p6"
yn persisted test -s "$p4"
s4=$(iptables-save 2>/dev/null)
s6=$(ip6tables-save 2>/dev/null)
# Rules and non-default policies each backend holds, per family (both non-zero: a mixed host).
# Where \`iptables\` is that backend, the saves above were its own: one awk prints the rule
# counts and that backend's held line. No subshell for the other backend of a usual host.
legacy_none() { { read -r _ < /proc/net/ip_tables_names || read -r _ < /proc/net/ip6_tables_names; } 2>/dev/null && return 1; return 0; }
case "$variant" in
  legacy) count_rules "$s4" "$s6" legacy; echo "nft_held=$(backend_held nft)" ;;
  nft) count_rules "$s4" "$s6" nft
    if legacy_none; then echo "legacy_held=0 0"; else echo "legacy_held=$(backend_held legacy)"; fi ;;
  *) count_rules "$s4" "$s6" -; echo "legacy_held=$(backend_held legacy)"; echo "nft_held=$(backend_held nft)" ;;
esac
# Tools that rebuild their own chains when they reload, running now (docs/coexistence.md).
# ufw: its own switch (its systemd unit stays "active" while ufw is disabled). firewalld: its
# systemd unit, else (no systemd) its pid file naming a live process called firewalld (not a
# stale file whose pid another process now has).
active=
if [ -f /etc/ufw/ufw.conf ]; then
  { while IFS= read -r l || [ -n "$l" ]; do case "$l" in ENABLED=yes*) active="$active ufw"; break ;; esac; done < /etc/ufw/ufw.conf; } 2>/dev/null
fi
fw_pid_alive() {
  read -r fwpid < /run/firewalld/firewalld.pid || return 1
  case $fwpid in ''|*[!0-9]*) return 1;; esac
  read -r fwcomm < "/proc/$fwpid/comm" && [ "$fwcomm" = firewalld ]
}
if { have systemctl && systemctl is-active --quiet firewalld; } 2>/dev/null; then active="$active firewalld"
elif fw_pid_alive 2>/dev/null; then active="$active firewalld"; fi
echo "active_tools=$active"
# The host's clock, read once and only when needed: for armed markers.
now=""; armed_now=""
clock() { [ -n "$now" ] || now=$(date +%s); }
section armed
for f in ${HOST_STATE_DIR}/armed/*; do
  [ -f "$f" ] || continue
  clock; [ -n "$armed_now" ] || { echo "$now"; armed_now=1; }
  l1=""; l2=""; { read -r l1; read -r l2; } < "$f"
  printf '%s %s %s\\n' "\${f##*/}" "$l2" "$l1"
done
case "\${1:-}" in save|upkeep)
  section save4
  printf '%s\\n' "$s4"
  if have ip6tables-save; then section save6; printf '%s\\n' "$s6"; fi
esac
if [ "\${1:-}" = upkeep ]; then
  # One awk prints the boot files (no cat) and the newest backup's age on the host's clock (no
  # date), the backup's time from the stat on its stdin. The newest backup: the last name the
  # shell lists (names sort by time); none: no stat, no age.
  n=""; for f in ${HOST_BACKUP_DIR}/*.v4; do [ -e "$f" ] && n=$f; done
  b4=""; b6=""; [ -f "$p4" ] && b4=$p4; [ -f "$p6" ] && b6=$p6
  upkeep='${UPKEEP_AWK}'
  if [ -n "$n" ]; then stat -c %Y "$n" | B4=$b4 B6=$b6 awk "$upkeep"
  else B4=$b4 B6=$b6 awk "$upkeep" </dev/null; fi
fi
`;

/** The facts; the `end` marker proves the output was not cut short. */
export const FACTS_SCRIPT = `${FACTS_BODY}section end
`;

export function parseFacts(out: string): { facts: Facts; live: LiveRules | null; upkeep?: UpkeepRead } {
  const s = parseSections(out);
  if (!s.has('end')) throw new Error('the facts script did not finish (output cut short)');
  const kv = parseKeyValues(s.get('facts'));
  const backends = { legacy: parseHeld(kv.legacy_held), nft: parseHeld(kv.nft_held) };
  const facts: Facts = {
    os: kv.os ?? 'unknown',
    osVersion: kv.os_version ?? '',
    packageManager: (kv.pkg ?? 'none') as PackageManager,
    iptables: (kv.iptables ?? 'none') as IptablesVariant,
    iptablesVersion: kv.iptables_version ?? '',
    ip6tables: kv.ip6tables === 'yes',
    ipset: kv.ipset === 'yes',
    conntrack: kv.conntrack === 'yes',
    systemd: kv.systemd === 'yes',
    persistV4: kv.persist_v4 ?? '/etc/iptables/rules.v4',
    persistV6: kv.persist_v6 ?? '/etc/iptables/rules.v6',
    persisted: kv.persisted === 'yes',
    rulesV4: Number(kv.rules_v4 ?? 0),
    rulesV6: Number(kv.rules_v6 ?? 0),
    backends,
    activeTools: (kv.active_tools ?? '').split(' ').filter(Boolean),
    armed: parseArmed(s.get('armed')),
  };
  const v4 = s.get('save4');
  const live = v4 === undefined ? null : { v4, v6: s.get('save6') ?? null };
  return { facts, live, ...(s.has('backup_age') && { upkeep: parseUpkeep(s) }) };
}

/** What an apply that changes no rule may still have to do (apply/upkeep.ts): `upkeep` mode. */
export interface UpkeepRead {
  /** The boot rules files' text (null: missing). */
  boot: { v4: string | null; v6: string | null };
  /** Seconds since the newest fleet backup, on the host's clock (null: none). */
  backupAgeS: number | null;
}

function parseUpkeep(s: Map<string, string>): UpkeepRead {
  const age = (s.get('backup_age') ?? '').trim();
  return {
    boot: { v4: presentBody(s.get('boot4')), v6: presentBody(s.get('boot6')) },
    backupAgeS: /^-?\d+$/.test(age) ? Number(age) : null,
  };
}

/** A body whose first line says `present` (then the content), or null. */
export function presentBody(body: string | undefined): string | null {
  const [first, ...rest] = (body ?? '').split('\n');
  return first === 'present' ? rest.join('\n') : null;
}

export function isMixedBackend(f: Facts): boolean {
  return isMixed(f.backends);
}

/** The one message for a host whose two iptables backends both hold rules (else undefined). */
export function mixedBackend(f: Facts): string | undefined {
  return mixedBackendMessage(f.backends, f.iptables);
}

export async function gatherFacts(
  session: RemoteSession,
  opts: { withRules?: boolean; upkeep?: boolean; timeoutMs?: number } = {},
): Promise<ReturnType<typeof parseFacts>> {
  const res = await session.run(FACTS_SCRIPT, {
    args: opts.upkeep ? ['upkeep'] : opts.withRules ? ['save'] : [],
    timeoutMs: opts.timeoutMs,
  });
  if (res.code !== 0) throw new Error(`facts failed (exit ${res.code}): ${res.stderr.trim().slice(0, 300)}`);
  return parseFacts(res.stdout);
}
