/**
 * The dropped-packet lines of a host's kernel log: from the journal where systemd runs
 * (`journalctl -k --since @EPOCH`), else the kernel ring buffer (`dmesg --time-format iso`),
 * else /var/log/kern.log — only lines holding the profile's log prefix, the newest MAX of them,
 * and how many there were. Fleet's constant text; $1 prefix, $2 since (Unix seconds), $3 MAX.
 */
import { SECTION_FN } from '../sections.js';

export const LOGS_SCRIPT = `
${SECTION_FN}
set -u
prefix=$1 since=$2 max=$3
case "$since" in ''|*[!0-9]*) echo "fleet: bad since" >&2; exit 64;; esac
case "$max" in ''|*[!0-9]*) echo "fleet: bad max" >&2; exit 64;; esac
[ -n "$prefix" ] || { echo "fleet: empty prefix" >&2; exit 64; }
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
have() { command -v "$1" >/dev/null 2>&1; }
tmp=$(mktemp /tmp/fleet-logs.XXXXXX) || exit 70
trap 'rm -f "$tmp"' EXIT
section source
if [ -d /run/systemd/system ] && have journalctl; then
  echo journal
  journalctl -k -q --no-pager -o short-iso-precise --since "@$since" 2>/dev/null | grep -F -e "$prefix" >"$tmp"
elif dmesg --time-format iso >/dev/null 2>&1; then
  echo dmesg
  dmesg --time-format iso 2>/dev/null | grep -F -e "$prefix" >"$tmp"
elif [ -r /var/log/kern.log ]; then
  echo kern.log
  grep -F -e "$prefix" /var/log/kern.log >"$tmp"
else
  echo none
fi
section count
wc -l <"$tmp"
section lines
tail -n "$max" "$tmp"
section now
date +%s
section zone
date +%z
section end
`;

/** A log prefix fleet will pass: what a profile's `log.prefix` may be (LOG allows 29 bytes). */
export function checkPrefix(prefix: string): string {
  if (prefix.length === 0 || prefix.length > 29 || /[^\x20-\x7e]/.test(prefix))
    throw new Error(`log prefix ${JSON.stringify(prefix)}: 1 to 29 printable ASCII characters`);
  return prefix;
}
