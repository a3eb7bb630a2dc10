/**
 * The dnf and yum part of the update script. `check-update` lists pending upgrades (exit 100 means
 * "updates available", not an error) and the installed versions are printed beside it, so the
 * client can pair old and new. An upgrade lists installed versions before and after with rpm and
 * prints the difference, like apt. `exit_on_lock` makes a held lock fail at once, and the step
 * retries until the lock wait is used up: bounded, where dnf and yum alone would wait forever.
 * Reboot: `needs-restarting -r` (exit 1 = reboot needed), from yum-utils or dnf-plugins-core.
 */

/** rpm query format: `name.arch [epoch:]version-release`, the way check-update prints versions. */
export const RPM_QUERY_FORMAT = '%{NAME}.%{ARCH} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n';

export const RPM_PART = `
rpm_snapshot() { rpm -qa --qf '${RPM_QUERY_FORMAT}' 2>/dev/null | sort; }
rpm_reboot() {
  section reboot
  if have needs-restarting; then needs-restarting -r >/dev/null 2>&1; r=$?
  elif have dnf; then dnf -q needs-restarting -r >/dev/null 2>&1; r=$?
  else r=unknown; fi
  case "$r" in 0) echo no;; 1) echo yes;; *) echo unknown;; esac
}
rpm_run() {
  pm=$1
  set -- -y -q --setopt=exit_on_lock=True
  if [ "$pm" = dnf ]; then set -- "$@" --refresh; fi
  if [ "$security" = 1 ]; then set -- "$@" --security; fi
  if [ "$mode" = check ]; then
    locked_step check "$pm" "$@" check-update
    case "$rc" in 0|100) ;; *) return 0;; esac
    section installed
    rpm_snapshot
  else
    rpm_snapshot >"$tmp/before"
    if [ "$pm" = yum ]; then verb=update; else verb=upgrade; fi
    locked_step upgrade "$pm" "$@" "$verb"
    rpm_snapshot >"$tmp/after"
    section changes
    comm -3 "$tmp/before" "$tmp/after"
  fi
  rpm_reboot
}
`;
