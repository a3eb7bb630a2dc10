/**
 * What the audit reads on a host besides the facts: the files a reboot loads the rules from,
 * fleet's backups, the ban sets, the host's IPv6 addresses, and pending package updates with
 * reboot-required — one script, one exec channel, read-only. Package updates are read from the
 * lists the host already has (apt-get -s, dnf/yum -C): the audit never runs apt-get update.
 * Fleet's own constant text: values arrive only as arguments ($1 and $2: the persist paths the
 * facts script named, checked against the two conventions fleet knows).
 */
import { HOST_BACKUP_DIR } from '../apply/paths.js';
import { SECTION_FN } from '../sections.js';

export const PERSIST_PATHS = [
  ['/etc/iptables/rules.v4', '/etc/iptables/rules.v6'],
  ['/etc/sysconfig/iptables', '/etc/sysconfig/ip6tables'],
] as const;

export const AUDIT_SCRIPT = `
${SECTION_FN}
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C LANG=C
export PATH LC_ALL LANG
have() { command -v "$1" >/dev/null 2>&1; }
show_file() { if [ -f "$1" ]; then echo present; cat "$1"; else echo missing; fi; }
section now
date +%s
section persist4
show_file "$1"
section persist6
show_file "$2"
section backups
for f in ${HOST_BACKUP_DIR}/*.v4; do [ -f "$f" ] && stat -c '%Y %n' "$f"; done
for fam in 4 6; do
  section "set$fam"
  if have ipset && ipset list -n "fleet-bans$fam" >/dev/null 2>&1; then
    echo present
    ipset save "fleet-bans$fam" 2>/dev/null | awk '$1 == "add" { print $3 }'
  else echo absent; fi
done
section ipv6
if have ip; then ip -6 -o addr show scope global 2>/dev/null | awk '{ print $4 }'; fi
section updates
if have apt-get; then
  echo apt
  apt-get -s -q -o Debug::NoLocking=1 upgrade 2>&1 | grep -E '^(Inst|Remv|E:) ' || true
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

/** The script's arguments: the persist paths from the facts, only if they are ones fleet knows. */
export function auditArgs(persistV4: string, persistV6: string): string[] {
  const known = PERSIST_PATHS.find(([v4, v6]) => v4 === persistV4 && v6 === persistV6);
  if (!known) throw new Error(`unexpected persist paths ${persistV4}, ${persistV6}`);
  return [known[0], known[1]];
}
