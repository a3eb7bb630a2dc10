/**
 * What the audit reads on a host: the facts and live rules (facts.ts), then the files a reboot
 * loads the rules from, fleet's backups, the ban sets, the host's IPv6 addresses, and pending
 * package updates with reboot-required — one script, one exec channel, read-only. Package
 * updates are read from the lists the host already has (apt-get -s, dnf/yum -C): the audit never
 * runs apt-get update. Fleet's own constant text; no value from the user appears in it.
 */
import { HOST_BACKUP_DIR } from '../apply/paths.js';
import { FACTS_BODY } from '../facts.js';
import { MARK } from '../sections.js';

/** $1, $2: the boot rules files (IPv4, IPv6). */
const AUDIT_BODY = `
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C LANG=C
export PATH LC_ALL LANG
have() { command -v "$1" >/dev/null 2>&1; }
section now
clock; echo "$now"
section persist4
show_file "$1"
section persist6
show_file "$2"
section backups
# A function: its own positional parameters, no subshell.
backup_times() {
  set --; for f in ${HOST_BACKUP_DIR}/*.v4; do [ -f "$f" ] && set -- "$@" "$f"; done
  [ $# -eq 0 ] || stat -c '%Y %n' "$@"
}
backup_times
# Both ban sets from one ipset save and one awk (absent: no such set, or no ipset).
if have ipset; then
  ipset save 2>/dev/null | awk '
    ($2 == "fleet-bans4" || $2 == "fleet-bans6") && $1 == "create" { has[$2] = 1 }
    ($2 == "fleet-bans4" || $2 == "fleet-bans6") && $1 == "add" { m[$2] = m[$2] $3 "\\n" }
    END {
      for (f = 4; f <= 6; f += 2) {
        printf "\\n${MARK}set%s\\n", f
        if (("fleet-bans" f) in has) printf "present\\n%s", m["fleet-bans" f]; else print "absent"
      }
    }'
else
  section set4; echo absent; section set6; echo absent
fi
# ip's lines as they are: the address is their 4th field (parse.ts).
section ipv6
if have ip; then ip -6 -o addr show scope global 2>/dev/null; fi
# apt-get's simulation as it is: parse.ts reads its Inst and E: lines.
section updates
if have apt-get; then
  echo apt
  apt-get -s -q -o Debug::NoLocking=1 upgrade 2>&1
elif have dnf || have yum; then
  if have dnf; then pm=dnf; else pm=yum; fi
  echo "$pm"
  "$pm" -C -q check-update 2>&1; echo "rc=$?"
else echo none; fi
section reboot
if [ -f /var/run/reboot-required ]; then echo yes
elif [ -f /etc/debian_version ]; then echo no
elif have needs-restarting; then
  needs-restarting -r >/dev/null 2>&1; case $? in 0) echo no;; 1) echo yes;; *) echo unknown;; esac
else echo unknown; fi
section end
`;

/**
 * $1 = save. The audit part reads the boot files the facts part chose ($p4, $p6: one of the two
 * conventions fleet knows). Prints both parts' sections; only the audit part's `end` closes the
 * output (one channel instead of two: bench/README.md).
 */
export const AUDIT_SCRIPT = `${FACTS_BODY}
set -- "$p4" "$p6"
${AUDIT_BODY}`;
