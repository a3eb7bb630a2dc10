/**
 * The apt part of the update script. `apt-get update`, then a simulation (`-s`, which prints
 * `Inst pkg [old] (new ...)` lines), then in upgrade mode the real upgrade. Installed versions are
 * listed before and after with dpkg-query and only the difference is printed (section `changes`).
 *
 * Security only: a temporary preferences file pins the security suites at 500, installed versions
 * at 100 and every other source at 50, so only a security version can become a candidate while
 * a new dependency from the main suite can still be installed. The host's own pins still apply.
 */

/** apt pins for `--security-only` (apt_preferences(5): the first matching generic record wins). */
export const APT_SECURITY_PREFERENCES = `Package: *
Pin: release l=Debian-Security
Pin-Priority: 500

Package: *
Pin: release a=/-security$/
Pin-Priority: 500

Package: *
Pin: release n=/-security$/
Pin-Priority: 500

Package: *
Pin: release a=now
Pin-Priority: 100

Package: *
Pin: release *
Pin-Priority: 50
`;

export const APT_PART = `
apt_snapshot() {
  dpkg-query -W -f='\${db:Status-Status} \${binary:Package} \${Version}\\n' 2>/dev/null |
    awk '$1 == "installed" { print $2, $3 }' | sort
}
apt_security_prefs() {
  cat <<'FLEET_PREFS'
${APT_SECURITY_PREFERENCES}
FLEET_PREFS
  if [ -f /etc/apt/preferences ]; then echo; cat /etc/apt/preferences; fi
}
apt_reboot() {
  section reboot
  if [ -f /var/run/reboot-required ]; then echo yes; else echo no; fi
  section reboot-pkgs
  cat /var/run/reboot-required.pkgs 2>/dev/null
}
apt_run() {
  set -- -q -o "DPkg::Lock::Timeout=$lock_wait" -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold
  if [ "$security" = 1 ]; then
    apt_security_prefs >"$tmp/security.pref"
    set -- "$@" -o "Dir::Etc::Preferences=$tmp/security.pref"
  fi
  locks=/var/lib/apt/lists/lock
  locked_step update apt-get "$@" update || return 0
  locks=
  locked_step simulate apt-get -s "$@" upgrade --with-new-pkgs || return 0
  if [ "$mode" = upgrade ]; then
    apt_snapshot >"$tmp/before"
    locks="/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/cache/apt/archives/lock"
    locked_step upgrade apt-get -y "$@" upgrade --with-new-pkgs
    apt_snapshot >"$tmp/after"
    section changes
    comm -3 "$tmp/before" "$tmp/after"
  fi
  apt_reboot
}
`;
