/**
 * What the audit reads on a host: the facts and live rules (facts.ts), then the files a reboot
 * loads the rules from, fleet's backups, the ban sets, the host's IPv6 addresses, and pending
 * package updates with reboot-required — one script, one exec channel, read-only. Package
 * updates are read from the lists the host already has (apt-get -s, dnf/yum -C): the audit never
 * runs apt-get update. Fleet's own constant text; no value from the user appears in it.
 * Lean on the hosts (bench/README.md "Processes per host"): beyond the facts part, an `ipset`,
 * one awk and `apt-get` (no dpkg under it); a `stat` only for a backup whose name holds no time.
 */
import { BACKUP_NAME_GLOB, HOST_BACKUP_DIR } from '../apply/paths.js';
import { FACTS_BODY } from '../facts.js';
import { AWK_NOW, AWK_SHOW, MARK } from '../sections.js';

/**
 * The one awk of the audit part: what the shell cannot print without a process of its own. Its
 * stdin is `ipset save` (both ban sets, one read). It prints the host's clock (AWK_NOW: no
 * `date`), the boot rules files (AWK_SHOW; $F4, $F6 in its environment, empty when missing; no
 * escape processing of a path, unlike -v) instead of two `cat`s, and the host's global IPv6 addresses
 * from /proc/net/if_inet6 (the kernel's list `ip -6 addr` prints; scope 00 is `scope global`)
 * instead of `ip`, its lines as they are (parse.ts).
 */
const READS_AWK = `
  ($2 == "fleet-bans4" || $2 == "fleet-bans6") && $1 == "create" { has[$2] = 1 }
  ($2 == "fleet-bans4" || $2 == "fleet-bans6") && $1 == "add" { m[$2] = m[$2] $3 "\\n" }
${AWK_SHOW}
  BEGIN { ${AWK_NOW} }
  END {
    printf "\\n${MARK}now\\n%d\\n", now
    for (f = 4; f <= 6; f += 2) {
      printf "\\n${MARK}set%s\\n", f
      if (("fleet-bans" f) in has) printf "present\\n%s", m["fleet-bans" f]; else print "absent"
    }
    show("persist4", ENVIRON["F4"]); show("persist6", ENVIRON["F6"])
    printf "\\n${MARK}ipv6\\n"
    while ((getline l < "/proc/net/if_inet6") > 0) { split(l, a, " "); if (a[4] == "00") print l }
  }`;

/**
 * \`dpkg_archs COMMAND...\` runs an apt command with APT::Architectures set to what apt would ask
 * dpkg for (\`dpkg --print-foreign-architectures\`: a dpkg process, two or three per apt-get):
 * dpkg's own list (/var/lib/dpkg/arch: the native one first, then the foreign ones), and a
 * placeholder apt drops (APT::BarbarianArchitectures) so that no list at all means the native
 * one only (apt puts it first where the list lacks it). The values are apt arguments, never code.
 */
export const DPKG_ARCHS_FN = `dpkg_archs() {
  { while IFS= read -r a || [ -n "$a" ]; do [ -z "$a" ] || set -- "$@" -o "APT::Architectures::=$a"; done < /var/lib/dpkg/arch; } 2>/dev/null
  "$@" -o APT::Architectures::=fleet-none -o APT::BarbarianArchitectures::=fleet-none
}`;

/** $1, $2: the boot rules files (IPv4, IPv6). */
const AUDIT_BODY = `
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C LANG=C
export PATH LC_ALL LANG
have() { command -v "$1" >/dev/null 2>&1; }
${DPKG_ARCHS_FN}
section backups
# A function: its own positional parameters, no subshell. A backup whose name holds its time is
# printed as it is (parse.ts takes the time from the name); only others ask stat.
backup_times() {
  set --
  for f in ${HOST_BACKUP_DIR}/*.v4; do
    [ -f "$f" ] || continue
    case "\${f##*/}" in ${BACKUP_NAME_GLOB}) echo "$f" ;; *) set -- "$@" "$f" ;; esac
  done
  [ $# -eq 0 ] || stat -c '%Y %n' "$@"
}
backup_times
# The boot files (a path only where it is a file, as \`[ -f ]\` says), the ban sets (absent: no
# such set, or no ipset) and the IPv6 addresses: one awk (READS_AWK).
f4=""; f6=""; [ -f "$1" ] && f4=$1; [ -f "$2" ] && f6=$2
reads='${READS_AWK}'
if have ipset; then ipset save 2>/dev/null | F4=$f4 F6=$f6 awk "$reads"
else F4=$f4 F6=$f6 awk "$reads" </dev/null; fi
# apt-get's simulation as it is: parse.ts reads its Inst and E: lines.
section updates
if have apt-get; then
  echo apt
  dpkg_archs apt-get -s -q -o Debug::NoLocking=1 upgrade 2>&1
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
