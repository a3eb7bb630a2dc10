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
locked_step() {
  name=$1; shift
  while :; do
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?
    if [ "$rc" -ne 0 ] && lock_error && time_left; then sleep 2; else break; fi
  done
  emit "$name" "$rc"; return "$rc"
}
`;
