/**
 * The remote half of `fleet apply`: fleet's own POSIX sh, with values only as positional
 * arguments (validated integers, a transaction id) and rulesets on stdin.
 *
 * The order inside TRANSACT is what makes it safe: nothing changes before the rules are
 * tested and the backup written (the backup is also the compare-and-swap's read: the rules as
 * they are right before the swap); the watchdog is armed before the swap, so an interruption
 * at any later point (the script killed, the connection cut) ends with the watchdog
 * restoring the backup. Only CONFIRM, sent over a new connection, disarms it.
 */
import { SECTION_FN, STAMPED_SECTION_FN } from '../sections.js';
import { BACKUP_CAS_FN } from './cas.js';
import { HOST_BACKUP_DIR, HOST_LOCK_FILE, HOST_STATE_DIR, V6_DELIMITER } from './paths.js';

const COMMON = `
set -u
${SECTION_FN}
die() { section error; printf '%s\\n' "$*"; exit 3; }
have() { command -v "$1" >/dev/null 2>&1; }
state=${HOST_STATE_DIR}; backups=${HOST_BACKUP_DIR}
umask 077
# disarm TX [FILE...]: stops TX's watchdog; the FILEs go in the same rm.
disarm() {
  dtx=$1; shift
  if [ -f "$state/watchdog-$dtx.pid" ]; then
    read -r wpid < "$state/watchdog-$dtx.pid" && kill "$wpid" 2>/dev/null
    set -- "$state/watchdog-$dtx.pid" "$@"
  fi
  [ $# -eq 0 ] || rm -f "$@"
  if have systemctl; then systemctl stop "fleet-watchdog-$dtx.timer" 2>/dev/null; fi
  return 0
}
`;

/**
 * Holds the host lock for as long as its channel's stdin stays open: closing the channel
 * (or losing the connection) releases it. $1 = who holds it (for the "busy" message), $2 =
 * seconds to wait for a lock another run holds (0: none, the lock is refused at once), $3 = the
 * workstation's UTC time (the owner's "since": no \`date\` on the host, unless it waited).
 * The owner file names the holding shell's pid, written by the shell right after flock (one
 * short write; emptied, not removed, at the end: no process); a run that finds the lock taken
 * waits up to 3 s for an owner file whose pid really holds the lock file open on fd 9, so two
 * runs started together always name each other, and an empty or stale owner file is no owner.
 * Waiting, it says so first (section `waiting`, the holder), so the progress shows why.
 */
export const LOCK_SCRIPT = `${COMMON}
[ -d /run/lock ] || mkdir -p /run/lock
lock=${HOST_LOCK_FILE}
wait=$2; since=\${3:-}
case "$wait" in ''|*[!0-9]*) die "bad lock wait";; esac
exec 9>>"$lock"
holder() {
  i=0; who=
  while [ $i -lt 30 ]; do
    if read -r pid who < "$lock.owner" 2>/dev/null && [ /proc/"$pid"/fd/9 -ef "$lock" ]; then return 0; fi
    who=; sleep 0.1; i=$((i + 1))
  done
}
if ! flock -n 9; then
  holder
  if [ "$wait" -eq 0 ]; then section busy; printf '%s\\n' "$who"; exit 75; fi
  section waiting; printf '%s\\n' "\${who:-unknown holder}"
  if ! flock -w "$wait" 9; then holder; section busy; printf '%s\\n' "$who"; exit 75; fi
  since=""
fi
[ -n "$since" ] || since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
printf '%s %s since %s\\n' "$$" "$1" "$since" > "$lock.owner"
section locked
while read -r _; do :; done
: > "$lock.owner"
`;

/**
 * The outcome record beside each backup, `<backup>.outcome`: one line appended per event,
 * `<UTC time> <outcome> <detail>`, the last line the transaction's outcome (pending, confirmed,
 * rolled-back, failed, aborted). $1 backup base path, $2 outcome, $3 detail (made one line),
 * $4 the UTC time when the script has read the clock already (else \`date\` reads it).
 */
const RECORD_FN = `record() {
  rd=\${3:-}
  case "$rd" in *"
"*) rd=$(printf "%s" "$rd" | tr "\\n" " ") ;; esac
  printf "%s %s %s\\n" "\${4:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}" "$2" "$rd" >> "$1.outcome"
}`;

/**
 * The script's one read of the clock: $clk_s (epoch seconds), $clk_name (a backup's name time),
 * $clk_utc (an outcome record's time), and the uptime then ($clk_up, 10 ms steps) for later times.
 */
const CLOCK_FN = `read_clock() {
  { read -r clk_up _ < /proc/uptime; } 2>/dev/null || clk_up=""
  clk=$(date -u '+%s %Y%m%dT%H%M%S.%3NZ %Y-%m-%dT%H:%M:%SZ')
  clk_s=\${clk%% *}; clk=\${clk#* }; clk_name=\${clk%% *}; clk_utc=\${clk#* }
}
# $now_s: epoch seconds now, rounded up, from the clock read and the uptime since (else date).
clock_now() {
  up=""; { read -r up _ < /proc/uptime; } 2>/dev/null
  case "$clk_up.$up" in
    [0-9]*.[0-9]*.[0-9]*.[0-9]*) a=\${clk_up%.*}\${clk_up#*.}; z=\${up%.*}\${up#*.}; now_s=$((clk_s + (z - a + 99) / 100)) ;;
    *) now_s=$(date +%s) ;;
  esac
}`;

/**
 * Backups: \`save_backup OUTCOME DETAIL\` writes the live rules to a new $b.v4|.v6 (never over a
 * file: set -C) with its outcome record (needs read_clock first); \`backup_cas\` (cas.ts) prints
 * them back for the local copy and compares them with what the plan was made from.
 */
const BACKUP_FN = `${CLOCK_FN}
${BACKUP_CAS_FN}
save_backup() {
  b="$backups/$clk_name-$tx"
  set -C
  iptables-save > "$b.v4" || die "iptables-save failed"
  if have ip6tables-save; then ip6tables-save > "$b.v6" || die "ip6tables-save failed"; fi
  set +C
  record "$b" "$1" "$2" "$clk_utc"
}`;

/**
 * Restores a backup pair, each family checked; used by the watchdog and by a failed swap.
 * $1 = backup base path. Fails with $restore_err saying which restore failed and why.
 */
const RESTORE_FN = `${RECORD_FN}
restore_backup() {
  restore_err=""
  if ! o=$(iptables-restore -w < "$1.v4" 2>&1); then restore_err="\${o:-iptables-restore failed}"; fi
  if [ -f "$1.v6" ] && ! o=$(ip6tables-restore -w < "$1.v6" 2>&1); then
    restore_err="\${restore_err:+$restore_err; }\${o:-ip6tables-restore failed}"
  fi
  [ -z "$restore_err" ]
}
restore_and_record() {
  if restore_backup "$1"; then record "$1" rolled-back "$2: backup restored"; else record "$1" failed "$2: restore failed: $restore_err"; fi
}`;

/**
 * The watchdog body, run detached (no single quote may appear in it): after $4 seconds, if
 * the transaction is still armed (the rename is atomic: confirm and watchdog race for it, one
 * wins), restore the backup, both families, and record the outcome.
 */
const WATCHDOG = `${RESTORE_FN}
[ "$4" = 0 ] || sleep "$4"
if mv "$1/armed/$2" "$1/fired-$2" 2>/dev/null; then
  restore_and_record "$3" "not confirmed in time, the watchdog fired"
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $2 not confirmed: restored $3 \${restore_err:-(both families)}" >> "$1/watchdog.log"
fi
rm -f "$1/watchdog-$2.pid" "$1"/staged/"$2".*`;

/**
 * Tests the staged rules ($s4, and $s6 when it exists) table by table (iptables-nft-restore
 * --test mishandles whole files): one awk splits both families into $tx.t4.N and $tx.t6.N,
 * removed with the other staged files (by die, the confirmation or the watchdog: no rm here).
 */
const TEST_FN = `test_tables() {
  set -- "$s4"; [ -f "$s6" ] && set -- "$s4" "$s6"
  awk -v d="$state/staged/$tx.t" '
    FILENAME != cur { cur = FILENAME; n = 0; f = (FILENAME == ARGV[1] ? 4 : 6) }
    /^\\*/ { n++ }
    n { print > (d f "." n) }' "$@"
  for f in "$state/staged/$tx.t"*; do
    [ -f "$f" ] || continue
    case "$f" in *.t4.*) cmd=iptables-restore ;; *) cmd=ip6tables-restore ;; esac
    if ! out=$("$cmd" -w --test $nf < "$f" 2>&1); then
      read -r t < "$f"; t=\${t#\\*}
      die "$cmd --test refused table $t: $out"
    fi
  done
}`;

/**
 * $1 tx id, $2 confirm timeout (s), $3 has v6 rules (yes|no), $4 restore mode (flush|noflush),
 * $5 (tests only) a step after which to pause 3 s, so a test can cut the connection there,
 * $6 and $7 the v4 and v6 digests of what the rules to rewrite were when planned ('' = no check:
 * cas.ts); if they moved, nothing is armed or swapped: backup removed, section `raced`.
 * stdin: the v4 ruleset, then a line ${V6_DELIMITER}, then the v6 ruleset.
 */
export const TRANSACT_SCRIPT = `${COMMON}
${STAMPED_SECTION_FN}
${RESTORE_FN}
${BACKUP_FN}
${TEST_FN}
tx=$1; timeout=$2; want6=$3; nf=""; [ "$4" = noflush ] && nf=--noflush; pause=\${5:-}
pause_after() { if [ "$pause" = "$1" ]; then sleep 3; fi; }
b=""
# Once the backup exists, a transaction that stops before its swap is recorded "aborted".
die() {
  if [ -n "$b" ] && [ "$(tail -n 1 "$b.outcome" 2>/dev/null | cut -d" " -f2)" = pending ]; then record "$b" aborted "$*"; fi
  rm -f "$state/staged/$tx".* 2>/dev/null
  section error; printf '%s\\n' "$*"; exit 3
}
section start
read_clock
[ -d "$state/staged" ] && [ -d "$state/armed" ] && [ -d "$backups" ] ||
  mkdir -p "$state/staged" "$state/armed" "$backups" || die "cannot create $state or $backups"
for f in "$state"/armed/*; do
  [ -e "$f" ] || continue
  d=$(sed -n 2p "$f"); left="an unknown number of"; [ -n "$d" ] && left=$((d - $(date +%s)))
  die "awaiting confirmation of $(basename "$f"), $left s left; the watchdog will restore $(sed -n 1p "$f")"
done
s4="$state/staged/$tx.v4"; s6="$state/staged/$tx.v6"; o6=$s6
[ "$want6" = yes ] || o6=/dev/null
# One awk splits stdin at the delimiter: the v4 rules, then (wanted or dropped) the v6 rules.
awk -v a="$s4" -v b="$o6" '
  BEGIN { printf "" > a; printf "" > b }
  !f && $0 == "${V6_DELIMITER}" { f = 1; next }
  { print > (f ? b : a) }' || die "cannot stage the rules"
section staged

test_tables
section tested

# The backup is the compare-and-swap's read: the rules right before the swap, saved where the
# watchdog restores them from. If the part the swap rewrites moved since the plan's read (cas.ts),
# nothing was armed or changed: the backup goes, the host keeps its rules and the other writer's.
save_backup pending "backup taken"
if ! backup_cas "\${6:-}" "\${7:-}"; then
  section raced
  echo "$raced"
  while IFS= read -r l; do printf '%s\\n' "$l"; done < "$cas.\${raced#v}"
  rm -f "$b.v4" "$b.v6" "$b.outcome" "$state/staged/$tx".*
  exit 0
fi
pause_after backup
# A write before arming: a connection lost by now ends the script here (SIGPIPE), nothing armed.
section compared

# The armed marker: the backup the watchdog restores, then its deadline (the host's clock).
clock_now
printf '%s\\n%s\\n' "$b" "$((now_s + timeout))" > "$state/armed/$tx"
wd='${WATCHDOG}'
if [ -d /run/systemd/system ] && have systemd-run; then
  systemd-run --quiet --collect --unit "fleet-watchdog-$tx" --on-active="$timeout" \\
    /bin/sh -c "$wd" fleet-watchdog "$state" "$tx" "$b" 0 || { rm -f "$state/armed/$tx"; die "systemd-run could not arm the watchdog"; }
  how=systemd
else
  setsid /bin/sh -c "$wd" fleet-watchdog "$state" "$tx" "$b" "$timeout" </dev/null >/dev/null 2>&1 &
  echo $! > "$state/watchdog-$tx.pid"
  how=setsid
fi
section armed
echo "$how"
pause_after armed

trap '' HUP PIPE
if ! out=$(iptables-restore -w $nf < "$s4" 2>&1) || { [ -f "$s6" ] && ! out=$(ip6tables-restore -w $nf < "$s6" 2>&1); }; then
  mv "$state/armed/$tx" "$state/aborted-$tx" 2>/dev/null && restore_and_record "$b" "the swap failed"
  [ -z "\${restore_err:-}" ] || die "the swap failed ($out), and restoring the backup failed too: $restore_err"
  die "the swap failed, the old rules are back: $out"
fi
# The staged files go with the confirmation's (or the watchdog's) rm: no rm here.
section swapped
pause_after swapped
`;

/**
 * Disarms $tx's watchdog if it has not fired and records the outcome: prints `confirmed` or
 * `too-late`. A retry whose earlier try confirmed (its answer lost) finds the record: confirmed.
 */
const CONFIRM_BODY = `
trap '' HUP PIPE
if mv "$state/armed/$tx" "$state/confirmed-$tx" 2>/dev/null; then
  read -r cb < "$state/confirmed-$tx"
  disarm "$tx" "$state/confirmed-$tx" "$state"/staged/"$tx".*
  record "$cb" confirmed "over a new connection"
  section confirmed
elif tail -n 1 "$backups"/*-"$tx".outcome 2>/dev/null | grep -q "^[^ ]* confirmed"; then
  section confirmed
else
  section too-late
  exit 0
fi
`;

/**
 * Writes the live rules where the boot loads them (temp + rename), then prunes backups beyond
 * the newest $keep of each family.
 */
const PERSIST_BODY = `
if [ -f /etc/redhat-release ] && [ ! -f /etc/debian_version ]; then
  p4=/etc/sysconfig/iptables; p6=/etc/sysconfig/ip6tables
else
  p4=/etc/iptables/rules.v4; p6=/etc/iptables/rules.v6
fi
[ -d "\${p4%/*}" ] || mkdir -p "\${p4%/*}"
iptables-save > "$p4.fleet-tmp" && mv "$p4.fleet-tmp" "$p4" || die "cannot write $p4"
if have ip6tables-save; then ip6tables-save > "$p6.fleet-tmp" && mv "$p6.fleet-tmp" "$p6" || die "cannot write $p6"; fi
section persisted
echo "$p4"
# Beyond the newest $keep of each family (names sort by time, as the shell lists them): one rm.
# The paths hold no space or glob character (fleet's directory, fleet's names).
old=""
prune_list() {
  n=$(($# - 1 - $1)); shift
  [ -e "$1" ] || return 0
  while [ $n -gt 0 ]; do old="$old $1"; shift; n=$((n - 1)); done
}
for fam in v4 v6 outcome; do prune_list "$keep" "$backups"/*."$fam"; done
[ -z "$old" ] || rm -f $old
section pruned
`;

/**
 * $1 tx id, $2 backups to keep. Sent over a NEW connection: reaching the host at all is the
 * proof. Confirms, and only once confirmed persists, in one exec channel (one round trip and
 * one shell less per host than two scripts: bench/README.md).
 */
export const CONFIRM_PERSIST_SCRIPT = `${COMMON}
${RECORD_FN}
tx=$1; keep=$2
${CONFIRM_BODY}
${PERSIST_BODY}`;

/**
 * $1 tx id. What happened to a transaction: its state, the watchdog's record and the backup it
 * restored, and the live rules now (after a rollback).
 */
export const OUTCOME_SCRIPT = `${COMMON}
tx=$1
section outcome
if [ -e "$state/armed/$tx" ]; then echo armed
elif [ -e "$state/fired-$tx" ]; then echo fired
else echo gone; fi
b=$(sed -n 1p "$state/fired-$tx" 2>/dev/null)
if [ -n "$b" ]; then
  section record; tail -n 1 "$b.outcome" 2>/dev/null
  section backup; echo "$b"
  if [ -f "$b.v4" ]; then section back4; cat "$b.v4"; fi
  if [ -f "$b.v6" ]; then section back6; cat "$b.v6"; fi
fi
section save4
iptables-save
if have ip6tables-save; then section save6; ip6tables-save; fi
section end
`;

/**
 * $1 tx id, $2 backups to keep, $3 persist (yes|no), $4 snapshot (yes|no). For a host whose
 * rules already match (upkeep.ts): a backup of the live rules, recorded `snapshot` (rollback
 * skips it: no change came with it; restore --at finds it), and the live rules written where the
 * boot loads them. No rule changes, so no watchdog.
 */
export const UPKEEP_SCRIPT = `${COMMON}
${RECORD_FN}
${BACKUP_FN}
tx=$1; keep=$2
if [ "$4" = yes ]; then
  [ -d "$backups" ] || mkdir -p "$backups" || die "cannot create $backups"
  read_clock
  save_backup snapshot "rules already matched; a backup of them"
  backup_cas "" ""
fi
if [ "$3" = yes ]; then
${PERSIST_BODY}
fi
section end
`;
