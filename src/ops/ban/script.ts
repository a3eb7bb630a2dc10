/**
 * The ban fast path on a host: one POSIX sh script, fleet's own constant text. Arguments:
 *   $1 op      add | del | sync   (sync: the host's bans become exactly the input)
 *   $2 mode    auto | ipset | rules (auto: ipset where the host has it)
 *   $3 locking lock | held (held: the caller already holds the apply lock, /run/lock/fleet.lock)
 * stdin: validated CIDRs, one per line, `4 203.0.113.7/32` or `6 2001:db8::7/128`.
 * No watchdog: the client refuses bans that could cut the management path (bans/guard.ts).
 * Prints sections `ban` (key=value) and `end`, or `error`.
 */
import { HOST_LOCK_FILE } from '../apply/paths.js';
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
now_ms() { t=$(date +%s%N); case $t in *N) echo 0;; *) echo $((t / 1000000));; esac; }
say() { printf '%s=%s\\n' "$1" "$2" >> "$tmp/out"; }
setfam() {
  f=$1
  if [ "$f" = 4 ]; then ipt=iptables; set=fleet-bans4; setopt=$SETOPT4; setrule=$SETRULE4; ctf=ipv4
  else ipt=ip6tables; set=fleet-bans6; setopt=$SETOPT6; setrule=$SETRULE6; ctf=ipv6; fi
}
applylock() {
  [ "$locking" = held ] || [ -n "\${applylocked:-}" ] && return 0
  exec 9>"$APPLY_LOCK"
  flock -w 60 9 || fail "an apply holds $APPLY_LOCK on this host for more than 60 s; retry with: fleet bans sync"
  applylocked=1
}
members() {
  if [ "$mode" = ipset ]; then ipset save "$set" 2>/dev/null | awk '$1 == "add" { print $3 }'
  else $ipt -w -S $CHAIN 2>/dev/null | awk '$1 == "-A" && $3 == "-s" { print $4 }'; fi | sort
}
chain_rules() { $ipt -w -S $CHAIN 2>/dev/null | grep -c '^-A' ; }
`;

const SETUP = `
op=$1; mode=$2; locking=$3
tmp=$(mktemp -d /tmp/fleet-ban.XXXXXX) || fail "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/out"
mkdir -p /run/lock
exec 8>"$BAN_LOCK"
flock -w 60 8 || fail "another fleet ban has held $BAN_LOCK on this host for more than 60 s"
cat > "$tmp/in"
if grep -qvE '^(4 [0-9.]+/[0-9]+|6 [0-9a-f:.]+/[0-9]+)$' "$tmp/in"; then fail "refusing input: not one CIDR per line"; fi
sed -n 's/^4 //p' "$tmp/in" | sort -u > "$tmp/in4"
sed -n 's/^6 //p' "$tmp/in" | sort -u > "$tmp/in6"
have iptables || fail "iptables is not installed"
if [ "$mode" = auto ]; then if have ipset; then mode=ipset; else mode=rules; fi; fi
[ "$mode" = rules ] || have ipset || fail "ipset is not installed"
fams=4
if have ip6tables; then fams="4 6"; elif [ -s "$tmp/in6" ]; then fail "ip6tables is not installed: cannot ban IPv6 addresses here"; fi
if [ -f /etc/redhat-release ] && [ ! -f /etc/debian_version ]; then
  boot4=/etc/sysconfig/iptables; boot6=/etc/sysconfig/ip6tables; bootsets=/etc/sysconfig/ipset
else
  boot4=/etc/iptables/rules.v4; boot6=/etc/iptables/rules.v6; bootsets=/etc/iptables/ipsets
fi
changed=no; written=""; load_ms=0
say mode "$mode"
`;

/** Bring the set (mode ipset) or the chain's rules (mode rules) to what op asks. */
const APPLY = `
as_cidrs() { awk -v f="$f" '{ if (index($0, "/") == 0) $0 = $0 (f == 4 ? "/32" : "/128"); print }' | sort; }
swap_in() {
  ipset destroy $set-new 2>/dev/null
  { echo "create $set-new $setopt"; sed "s/^/add $set-new /" "$tmp/in$f"; } | ipset restore &&
    ipset swap $set-new $set && ipset destroy $set-new
}
ipset_apply() {
  $ipt -w -S $CHAIN 2>/dev/null | awk '$1 == "-A" && $3 == "-s" { print $4 }' | sed "s/^/add $set /" > "$tmp/migrate$f"
  ipset create -exist $set $setopt || fail "cannot create ipset $set"
  l0=$(now_ms)
  case $op in
    add) { cat "$tmp/migrate$f"; sed "s/^/add $set /" "$tmp/in$f"; } | ipset restore -exist ;;
    del) { cat "$tmp/migrate$f"; sed "s/^/del $set /" "$tmp/in$f"; } | ipset restore -exist ;;
    sync) as_cidrs < "$tmp/before$f" | cmp -s - "$tmp/in$f" || swap_in ;;
  esac || fail "ipset $op on $set failed"
  load_ms=$((load_ms + $(now_ms) - l0))
  [ "$(chain_rules)" = 1 ] && $ipt -w -C $CHAIN $setrule 2>/dev/null && return 0
  { echo '*filter'; echo ":$CHAIN - [0:0]"; echo "-A $CHAIN $setrule"; echo COMMIT; } > "$tmp/chain$f"
  applylock; $ipt-restore -w --noflush < "$tmp/chain$f" || fail "$ipt-restore of $CHAIN failed"
  changed=yes
}
rules_apply() {
  case $op in
    add) sort -u "$tmp/before$f" "$tmp/in$f" ;;
    del) comm -23 "$tmp/before$f" "$tmp/in$f" ;;
    sync) cat "$tmp/in$f" ;;
  esac > "$tmp/want$f"
  cmp -s "$tmp/want$f" "$tmp/before$f" && [ "$(chain_rules)" = "$(wc -l < "$tmp/want$f" | tr -d ' ')" ] && return 0
  { echo '*filter'; echo ":$CHAIN - [0:0]"; sed "$RULE_SED" "$tmp/want$f"; echo COMMIT; } > "$tmp/chain$f"
  applylock; $ipt-restore -w --noflush < "$tmp/chain$f" || fail "$ipt-restore of $CHAIN failed"
  changed=yes
}
ensure_jumps() {
  for hook in $HOOKS; do
    $ipt -w -C $hook $JUMP 2>/dev/null && continue
    applylock; $ipt -w -I $hook 1 $JUMP || fail "cannot insert the $CHAIN jump into $hook"
    changed=yes
  done
}
apply_family() {
  setfam "$1"
  members > "$tmp/before$f"
  if [ "$mode" = ipset ]; then ipset_apply; else rules_apply; fi
  ensure_jumps
  members > "$tmp/after$f"
  cmp -s "$tmp/before$f" "$tmp/after$f" || changed=yes
  say "v\${f}_before" "$(wc -l < "$tmp/before$f" | tr -d ' ')"
  say "v\${f}_after" "$(wc -l < "$tmp/after$f" | tr -d ' ')"
  comm -13 "$tmp/before$f" "$tmp/after$f" > "$tmp/added$f"
  say "v\${f}_added" "$(wc -l < "$tmp/added$f" | tr -d ' ')"
  say "v\${f}_removed" "$(comm -23 "$tmp/before$f" "$tmp/after$f" | wc -l | tr -d ' ')"
}
`;

export { APPLY, CONSTANTS, HELPERS, SETUP };
