/**
 * Holds dpkg's frontend lock the way apt does (fcntl F_SETLKW, which flock does not block),
 * for $1 seconds (default 8), in the background; /run/lock-held exists while it is held.
 */
export const HOLD_DPKG_LOCK = `setsid perl -e '
  use Fcntl; open(my $f, ">>", "/var/lib/dpkg/lock-frontend") or die;
  my $l = pack("s s x4 q q i x4", F_WRLCK, 0, 0, 0, 0); fcntl($f, F_SETLKW, $l) or die;
  open(my $m, ">", "/run/lock-held"); close $m; sleep($ARGV[0] || 8); unlink "/run/lock-held";
' "$1" >/dev/null 2>&1 </dev/null &`;
