/**
 * The ban fast path on a host: one POSIX sh script, fleet's own constant text. Arguments:
 *   $1 op      add | del | sync | list  (sync: the host's bans become the input; list: print them)
 *   $2 mode    auto | ipset | rules (auto: ipset where the host has it)
 *   $3 locking lock | held (held: the caller already holds the apply lock, /run/lock/fleet.lock)
 *   $4 keep    keep | prune (sync: keep bans the host holds that the input lacks, and name them)
 *   $5 only    4 | 6 | all: the one family an add or del touches (ipset mode then reads only that
 *              family's raw table: the other family's jump and chain are left as they are)
 * stdin: validated canonical CIDRs with their TTL in seconds (0: permanent; x: listed but over),
 * `4 203.0.113.7/32 3600`, `6 2001:db8::7/128 0`.
 * No watchdog: the client refuses bans that could cut the management path (bans/guard.ts).
 * Prints sections `ban` (key=value), `held` (list) or `kept` (sync, keep), `end`; or `error`.
 *
 * Cheap on the host (an incident ban of one address on hundreds of hosts is bound by the hosts'
 * CPU): a ban of one IPv4 address in ipset mode starts flock, iptables-save (its family's raw
 * table only), ipset save, one awk (script-plan.ts: all the deciding), ipset restore, and
 * conntrack only if that address has a flow (the ipsets boot file is appended to by builtins):
 * no subshell, cat, wc, cp or mv; scratch files live in a fixed directory the ban lock protects.
 */
import { createHash } from 'node:crypto';
import { HOST_LOCK_FILE } from '../apply/paths.js';
import { BACKENDS_FN } from '../backends.js';
import { SECTION_FN } from '../sections.js';
import { BAN_UNTIL, banJumpArgs, banRuleTemplate, banSetRuleArgs, SET_OPTIONS } from './rules.js';
import { PLAN } from './script-plan.js';

export const BAN_LOCK_FILE = '/run/lock/fleet-bans.lock';
/** Scratch files of the ban script (one run at a time: the ban lock). */
export const BAN_SCRATCH_DIR = '/run/fleet-bans';

/** Shell variables holding the rule texts of rules.ts (constants: they contain no space or quote). */
const CONSTANTS = `
JUMP="${banJumpArgs().join(' ')}"
SETRULE4="${banSetRuleArgs(4).join(' ')}"
SETRULE6="${banSetRuleArgs(6).join(' ')}"
RULE_TMPL="${banRuleTemplate('@', '%').join(' ')}"
UNTIL_TAG="${BAN_UNTIL}"
SETOPT4="${SET_OPTIONS[4]}"
SETOPT6="${SET_OPTIONS[6]}"
APPLY_LOCK=${HOST_LOCK_FILE}
BAN_LOCK=${BAN_LOCK_FILE}
d=${BAN_SCRATCH_DIR}
`;

const HELPERS = `
${SECTION_FN}
set -u
umask 077
PATH=/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin:$PATH
export LC_ALL=C
have() { command -v "$1" >/dev/null 2>&1; }
fail() { section error; echo "$*"; exit 3; }
${BACKENDS_FN}
# $ms: the host's uptime in ms (10 ms steps; 0 where /proc/uptime cannot be read), no process.
stamp() { ms=0; { read -r up _ < /proc/uptime; } 2>/dev/null && ms=\${up%.*}\${up#*.}0; }
# Lock order: a ban holds the ban lock and needs apply's lock only to change iptables rules; an
# apply holds its lock and takes the ban lock (sync). So a ban waits for apply's lock briefly
# and gives up, never the other way round: no deadlock.
applylock() {
  [ "$locking" = held ] || [ -n "\${applylocked:-}" ] && return 0
  exec 9>"$APPLY_LOCK"
  flock -w 10 9 || fail "an apply is running on this host (it holds $APPLY_LOCK); retry with: fleet bans sync"
  applylocked=1
}
# Replace a file with the one written beside it (same file system: rename is atomic).
install_new() { mv -f "$1.fleet-new" "$1" || fail "cannot write $1"; written="$written $1"; }
`;

/** Lock, pick the mode, the families and the boot files, read the kernel once per family. */
const SETUP = `
op=$1; mode=$2; locking=$3; keep=\${4:-prune}; only=\${5:-all}
case $only in 4|6|all) ;; *) fail "bad family argument: $only" ;; esac
[ -d /run/lock ] || mkdir -p /run/lock
[ -d "$d" ] || mkdir -p "$d" || fail "cannot create $d"
exec 8>"$BAN_LOCK"
flock -w 60 8 || fail "another fleet ban has held $BAN_LOCK on this host for more than 60 s"
have iptables || fail "iptables is not installed"
if [ "$mode" = auto ]; then if have ipset; then mode=ipset; else mode=rules; fi; fi
[ "$mode" = rules ] || have ipset || fail "ipset is not installed"
fams=4; have ip6tables && fams="4 6"
if [ -f /etc/redhat-release ] && [ ! -f /etc/debian_version ]; then
  boot4=/etc/sysconfig/iptables; boot6=/etc/sysconfig/ip6tables; bootsets=/etc/sysconfig/ipset
else
  boot4=/etc/iptables/rules.v4; boot6=/etc/iptables/rules.v6; bootsets=/etc/iptables/ipsets
fi
[ "$op" = list ] || [ -d "\${boot4%/*}" ] || mkdir -p "\${boot4%/*}" || fail "cannot create \${boot4%/*}"
t0=0; [ "$op" = sync ] && { stamp; t0=$ms; }
# The raw tables read: both families, but an ipset-mode add or del of one family reads only its
# own (one process less per ban; the sets of both are read anyway, with one \`ipset save\`).
rawfams=$fams
if [ "$mode" = ipset ] && [ "$only" != all ] && { [ "$op" = add ] || [ "$op" = del ]; }; then
  case " $fams " in *" $only "*) rawfams=$only ;; esac
fi
: > "$d/k4"; : > "$d/k6"
case $rawfams in 4*) iptables-save -t raw > "$d/k4" 2>/dev/null || : > "$d/k4" ;; esac
case $rawfams in *6) ip6tables-save -t raw > "$d/k6" 2>/dev/null || : > "$d/k6" ;; esac
: > "$d/sets"; [ "$mode" = ipset ] && { ipset save > "$d/sets" 2>/dev/null || : > "$d/sets"; }
: > "$d/ipset"; : > "$d/fix4"; : > "$d/fix6"; : > "$d/new"; : > "$d/list"
# A mixed host (both iptables backends hold rules) is flagged, not refused: a ban in one backend
# drops whatever the other accepts. Which backend iptables is: from the header of the read above
# (no process); the other is read only where it can hold something (nft host: legacy tables).
backends=""; hdr=""; read -r hdr < "$d/k\${rawfams%% *}" || :
case $hdr in
  *nf_tables*) used=nft other=legacy ;;
  *iptables-save*) used=legacy other=nft ;;
  *) case "$(iptables -V 2>/dev/null)" in *nf_tables*) used=nft other=legacy ;; *) used=legacy other=nft ;; esac ;;
esac
if [ $other = nft ] || { read -r _ < /proc/net/ip_tables_names; } 2>/dev/null || { read -r _ < /proc/net/ip6_tables_names; } 2>/dev/null; then
  oh=$(backend_held $other)
  [ "$oh" = "0 0" ] || backends="$used $(backend_held $used) $other $oh"
fi
`;

/** Decide (one awk), change the kernel, persist, end flows, report. */
const MAIN = `
section ban
echo "mode=$mode"
[ -z "$backends" ] || echo "backends=$backends"
plan
read -r touched newsets boot4need boot6need changed swapped now soonest expired < "$d/plan"
load_ms=0
if [ "$touched" = 1 ]; then
  l0=$t0; [ "$swapped" = 1 ] && { stamp; l0=$ms; }
  ipset restore -exist < "$d/ipset" || fail "ipset restore of fleet's ban sets failed"
  [ "$swapped" = 1 ] && { stamp; load_ms=$((ms - l0)); }
fi
for f in $fams; do
  [ -s "$d/fix$f" ] || continue
  ipt=iptables; [ "$f" = 6 ] && ipt=ip6tables
  applylock; $ipt-restore -w --noflush < "$d/fix$f" || fail "$ipt-restore of FLEET-BANS failed"
done
written=""
[ "$newsets" = 1 ] && install_new "$bootsets"
if [ "$newsets" = 2 ]; then
  while IFS= read -r l; do printf '%s\\n' "$l"; done < "$d/setsappend" >> "$bootsets" || fail "cannot write $bootsets"
  written="$written $bootsets"
fi
for f in $fams; do
  if [ "$f" = 4 ]; then need=$boot4need; boot=$boot4; ipt=iptables; else need=$boot6need; boot=$boot6; ipt=ip6tables; fi
  [ "$need" = 0 ] && continue
  applylock
  [ "$need" = 2 ] && { $ipt-save > "$boot.fleet-new" || fail "$ipt-save failed"; }
  install_new "$boot"
done
[ -n "$written" ] && changed=1
echo "persisted=\${written# }"
if have conntrack; then
  n=0
  while read -r ctf a; do
    conntrack -D -f "$ctf" -s "$a" > /dev/null 2> "$d/ct"
    read -r _ _ _ k _ < "$d/ct" || k=0
    case $k in *[!0-9]*|'') k=0;; esac
    n=$((n + k))
  done < "$d/new"
  echo "conntrack_deleted=$n"
else
  echo "conntrack_deleted=absent"
fi
echo "expired=$expired"
[ "$mode" = rules ] && [ "$soonest" != 0 ] && arm_expiry "$soonest"
[ "$changed" = 1 ] && echo changed=yes || echo changed=no
echo "load_ms=$load_ms"
[ "$op" = sync ] && { stamp; echo "host_ms=$((ms - t0))"; }
if [ "$op" = list ]; then section held; elif [ "$op" = sync ]; then section kept; fi
while IFS= read -r l; do echo "$l"; done < "$d/list"
section end
`;

/**
 * Rules mode's expiry timer (a rule's comment holds its end: rules.ts): one detached sleeper per
 * host, armed for the earliest end the host holds, that runs this very script (saved once per
 * boot and version as $d/expiry-ID.sh) as an \`add\` of nothing: it lifts what is over (kernel and
 * boot files, like an unban) and arms the next. On systemd hosts a transient timer unit (as
 * apply's watchdog: a session's end cannot kill it), else setsid, which outlives the SSH session.
 * $d/timer: "PID|systemd END" of the armed one; armed again only if it is gone, fired, or later
 * than the new earliest end (a later sleeper is ended). A run that fails (an apply holds the
 * host's lock) is retried every 30 s, 10 times. The timer's text: no quote, no \${ and no % (a
 * systemd unit would expand them).
 */
const TIMER = `sleep "$1"; n=0
until /bin/sh "$2" add auto lock prune </dev/null >/dev/null 2>&1; do
  n=$((n + 1)); [ "$n" -ge 10 ] && exit 1; sleep 30
done`;

const EXPIRY = `
arm_expiry() {
  ap=0; ad=0; [ -f "$d/timer" ] && read -r ap ad < "$d/timer"
  if [ "$ad" -ge "$now" ] && [ "$ad" -le "$1" ]; then
    [ "$ap" = systemd ] && return 0
    kill -0 "$ap" 2>/dev/null && return 0
  fi
  [ "$ad" -gt "$1" ] && [ "$ad" -gt "$now" ] && [ "$ap" != systemd ] && kill -TERM "-$ap" 2>/dev/null
  ef="$d/expiry-$SELF_ID.sh"
  [ -f "$ef" ] || { [ -n "\${self:-}" ] && printf 'SELF_ID=%s\\n%s\\n' "$SELF_ID" "$self" > "$ef.new" && mv -f "$ef.new" "$ef"; } || return 0
  delay=$(($1 - now)); [ "$delay" -ge 1 ] || delay=1
  if [ -d /run/systemd/system ] && have systemd-run; then
    systemd-run --quiet --collect --unit "fleet-bans-expiry-$1" --on-active="$delay" \
      /bin/sh -c "$EXPIRY_TIMER" fleet-bans-timer 0 "$ef" > /dev/null 2>&1 || :
    ap=systemd
  else
    # fds 8 and 9 hold the ban and apply locks: the sleeper must not keep them.
    setsid /bin/sh -c "$EXPIRY_TIMER" fleet-bans-timer "$delay" "$ef" < /dev/null > /dev/null 2>&1 8>&- 9>&- &
    ap=$!
  fi
  echo "$ap $1" > "$d/timer"
  echo "expiry_timer=$1"
}
EXPIRY_TIMER='${TIMER}'
`;

const BODY = [CONSTANTS, HELPERS, EXPIRY, PLAN, SETUP, MAIN].join('\n');
/** Names the saved copy the timer runs: a new fleet version writes its own. */
const SELF_ID = createHash('sha256').update(BODY).digest('hex').slice(0, 12);

/**
 * The whole script (constant text: every value travels on stdin or as a quoted argument). It
 * runs from a variable so it can save itself for the expiry timer.
 */
export const BAN_SCRIPT = `SELF_ID=${SELF_ID}\nself='${BODY.replaceAll("'", "'\\''")}'\neval "$self"\n`;
