/**
 * Holds dnf's locks the way a running dnf does: dnf 4 (dnf/lock.py) treats a lock file holding
 * the pid of a live process as held, and takes it over once that process is gone. A `sleep`
 * of $1 seconds (default 8) is that process; /run/lock-held exists while it lives.
 */
export const HOLD_DNF_LOCK = `mkdir -p /var/cache/dnf /var/lib/dnf
setsid sh -c 'touch /run/lock-held; sleep "$1"; rm -f /run/lock-held' sh "\${1:-8}" >/dev/null 2>&1 </dev/null &
for f in /var/cache/dnf/metadata_lock.pid /var/lib/dnf/rpmdb_lock.pid; do printf %s "$!" >"$f"; done`;
