/**
 * The shared head of the update script: arguments, environment, and the step runners.
 * Each step's stdout, stderr and exit status go out as sections `NAME.out`, `NAME.err`, `NAME.rc`.
 * Fleet's own constant text: values arrive only as the positional arguments $1..$3.
 */
import { SECTION_FN } from '../sections.js';

/** Messages apt, dnf and yum print when another process holds their lock (with LC_ALL=C). */
export const LOCK_MESSAGES = [
  'Could not get lock',
  'Unable to acquire the dpkg frontend lock',
  'Unable to lock the administration directory',
  'already locked by',
  'holding the yum lock',
];

const lockGrep = LOCK_MESSAGES.map((m) => `-e '${m}'`).join(' ');

export const SCRIPT_HEAD = `
set -u
mode=$1 security=$2 lock_wait=$3
case "$mode" in check|upgrade) ;; *) echo "fleet: bad mode" >&2; exit 64;; esac
case "$security" in 0|1) ;; *) echo "fleet: bad security flag" >&2; exit 64;; esac
case "$lock_wait" in ''|*[!0-9]*) echo "fleet: bad lock wait" >&2; exit 64;; esac
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C LANG=C DEBIAN_FRONTEND=noninteractive APT_LISTCHANGES_FRONTEND=none
NEEDRESTART_MODE=l NEEDRESTART_SUSPEND=1 UCF_FORCE_CONFFOLD=1
export PATH LC_ALL LANG DEBIAN_FRONTEND APT_LISTCHANGES_FRONTEND NEEDRESTART_MODE NEEDRESTART_SUSPEND UCF_FORCE_CONFFOLD
tmp=$(mktemp -d /tmp/fleet-update.XXXXXX) || { echo "fleet: cannot make a temporary folder" >&2; exit 70; }
trap 'rm -rf "$tmp"' EXIT
deadline=$(( $(date +%s) + lock_wait ))
${SECTION_FN}
have() { command -v "$1" >/dev/null 2>&1; }
time_left() { [ "$(date +%s)" -lt "$deadline" ]; }
lock_error() { grep -q ${lockGrep} "$tmp/err"; }
emit() { section "$1.out"; cat "$tmp/out"; section "$1.err"; cat "$tmp/err"; section "$1.rc"; echo "$2"; }
step() {
  name=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?
  emit "$name" "$rc"; return "$rc"
}
# Who holds one of the lock files the next step takes ($locks, set before it) now, from
# /proc/locks (fcntl and flock locks, by inode): "apt's lock (FILE, held by pid N COMM)".
locks=
lock_holder() {
  for f in $locks; do
    ino=$(stat -c %i "$f" 2>/dev/null) || continue
    pid=$(awk -v i="$ino" '$2 != "->" { n = split($6, p, ":"); if (p[n] == i) { print $5; exit } }' /proc/locks 2>/dev/null)
    [ -n "$pid" ] || continue
    printf "apt's lock (%s, held by pid %s %s)\\n" "$f" "$pid" "$(cat /proc/"$pid"/comm 2>/dev/null)"
    return 0
  done
}
# Say, while it lasts, that the step waits for a package lock (sections waiting/waited, read
# live by the client); for a lock /proc/locks shows ($2 = watch), a watcher in the background
# says when it is free, else the end of the step does.
wait_start() {
  [ -z "$waiting" ] || return 0
  waiting=1; section waiting; printf '%s\\n' "$1"
  [ "\${2:-}" = watch ] || return 0
  ( while [ -n "$(lock_holder)" ]; do sleep 0.5; done; section waited; : > "$tmp/free" ) &
  watcher=$!
}
wait_end() {
  [ -n "$waiting" ] || return 0
  if [ -n "$watcher" ]; then kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null; fi
  [ -e "$tmp/free" ] || section waited
  rm -f "$tmp/free"; waiting= watcher=
}
waiting= watcher=
locked_step() {
  name=$1; shift
  while :; do
    held=$(lock_holder); [ -z "$held" ] || wait_start "$held" watch
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?
    if [ "$rc" -ne 0 ] && lock_error && time_left; then
      wait_start "$(grep -m1 ${lockGrep} "$tmp/err")"; sleep 2
    else break; fi
  done
  wait_end
  emit "$name" "$rc"; return "$rc"
}
`;
