/**
 * The ban fast path on a host: one POSIX sh script, fleet's own constant text. Arguments:
 *   $1 op      add | del | sync   (sync: the host's bans become exactly the input)
 *   $2 mode    auto | ipset | rules (auto: ipset where the host has it)
 *   $3 locking lock | held (held: the caller already holds the apply lock, /run/lock/fleet.lock)
 * stdin: validated canonical CIDRs, one per line, `4 203.0.113.7/32` or `6 2001:db8::7/128`.
 * No watchdog: the client refuses bans that could cut the management path (bans/guard.ts).
 * Prints sections `ban` (key=value) and `end`, or `error`. Few processes per host: an incident
 * ban of one address on hundreds of hosts is bound by the hosts' CPU.
 */
import { HOST_LOCK_FILE } from '../apply/paths.js';
import { BACKENDS_FN } from '../backends.js';
import { SECTION_FN } from '../sections.js';
import { BAN_CHAIN, BAN_HOOKS, banJumpArgs, banRuleArgs, banSetRuleArgs, SET_OPTIONS } from './rules.js';

export const BAN_LOCK_FILE = '/run/lock/fleet-bans.lock';

/** Shell variables holding the rule texts of rules.ts (constants: they contain no space or quote). */
const CONSTANTS = `
CHAIN=${BAN_CHAIN}
HOOKS="${BAN_HOOKS.join(' ')}"
JUMP="${banJumpArgs().join(' ')}"
SETRULE4="${banSetRuleArgs(4).join(' ')}"
SETRULE6="${banSetRuleArgs(6).join(' ')}"
RULE_SED="s|.*|-A ${BAN_CHAIN} ${banRuleArgs('&').join(' ')}|"
SETOPT4="${SET_OPTIONS[4]}"
SETOPT6="${SET_OPTIONS[6]}"
APPLY_LOCK=${HOST_LOCK_FILE}
BAN_LOCK=${BAN_LOCK_FILE}
`;

const HELPERS = `
${SECTION_FN}
set -u
umask 022
PATH=/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin:$PATH
export LC_ALL=C
have() { command -v "$1" >/dev/null 2>&1; }
fail() { section error; echo "$*"; exit 3; }
${BACKENDS_FN}
now_ms() { t=$(date +%s%N); case $t in *N) echo 0;; *) echo $((t / 1000000));; esac; }
say() { printf '%s=%s\\n' "$1" "$2" >> "$tmp/out"; }
setfam() {
  f=$1
  if [ "$f" = 4 ]; then ipt=iptables; set=fleet-bans4; setopt=$SETOPT4; setrule=$SETRULE4; ctf=ipv4; boot=$boot4
  else ipt=ip6tables; set=fleet-bans6; setopt=$SETOPT6; setrule=$SETRULE6; ctf=ipv6; boot=$boot6; fi
}
# Lock order: a ban holds the ban lock and needs apply's lock only to change iptables rules; an
# apply holds its lock and takes the ban lock (sync). So a ban waits for apply's lock briefly
# and gives up, never the other way round: no deadlock.
applylock() {
  [ "$locking" = held ] || [ -n "\${applylocked:-}" ] && return 0
  exec 9>"$APPLY_LOCK"
  flock -w 10 9 || fail "an apply is running on this host (it holds $APPLY_LOCK); retry with: fleet bans sync"
  applylocked=1
}
`;

/** Read stdin (validating every line), pick the mode, the families and the boot files. */
const SETUP = `
op=$1; mode=$2; locking=$3
tmp=$(mktemp -d /tmp/fleet-ban.XXXXXX) || fail "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/out"; : > "$tmp/in4"; : > "$tmp/in6"
[ -d /run/lock ] || mkdir -p /run/lock
exec 8>"$BAN_LOCK"
flock -w 60 8 || fail "another fleet ban has held $BAN_LOCK on this host for more than 60 s"
awk -v d="$tmp" '
  /^4 [0-9.]+\\/[0-9]+$/ { print $2 > (d "/in4"); next }
  /^6 [0-9a-f:.]+\\/[0-9]+$/ { print $2 > (d "/in6"); next }
  { bad = 1; exit }
  END { exit bad }' || fail "refusing input: not one CIDR per line"
have iptables || fail "iptables is not installed"
# A mixed host (both iptables backends hold rules) is flagged, not refused: a ban in one backend
# drops whatever the other accepts. The backend fleet uses is read only if the other holds rules.
case "$(iptables -V 2>/dev/null)" in *nf_tables*) used=nft other=legacy ;; *) used=legacy other=nft ;; esac
oh=$(backend_held $other)
[ "$oh" = "0 0" ] || say backends "$used $(backend_held $used) $other $oh"
if [ "$mode" = auto ]; then if have ipset; then mode=ipset; else mode=rules; fi; fi
[ "$mode" = rules ] || have ipset || fail "ipset is not installed"
fams=4
if have ip6tables; then fams="4 6"; elif [ -s "$tmp/in6" ]; then fail "ip6tables is not installed: cannot ban IPv6 addresses here"; fi
if [ -f /etc/redhat-release ] && [ ! -f /etc/debian_version ]; then
  boot4=/etc/sysconfig/iptables; boot6=/etc/sysconfig/ip6tables; bootsets=/etc/sysconfig/ipset
else
  boot4=/etc/iptables/rules.v4; boot6=/etc/iptables/rules.v6; bootsets=/etc/iptables/ipsets
fi
todo=""
for f in $fams; do [ "$op" = sync ] || [ -s "$tmp/in$f" ] && todo="$todo $f"; done
changed=no; written=""; load_ms=0; setschanged=""
say mode "$mode"
`;

export { APPLY } from './script-apply.js';
export { CONSTANTS, HELPERS, SETUP };
