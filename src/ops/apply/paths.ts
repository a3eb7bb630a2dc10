/** Where fleet keeps its state on a host. Constants: never built from user values. */
export const HOST_STATE_DIR = '/var/lib/fleet';
export const HOST_BACKUP_DIR = '/var/backups/fleet';
export const HOST_LOCK_FILE = '/run/lock/fleet.lock';

/**
 * A backup's name starts with its UTC time (\`20261122T013028.123Z-<tx>\`, or without the ms:
 * backups.ts's BACKUP_TIME): as a \`case\` pattern (two, joined by |), the names the host scripts
 * take a backup's time from instead of asking \`stat\` (a process per read).
 */
const DIGITS = (n: number) => '[0-9]'.repeat(n);
const NAME_TIME_GLOB = `${DIGITS(8)}T${DIGITS(6)}`;
export const BACKUP_NAME_GLOB = `${NAME_TIME_GLOB}.${DIGITS(3)}Z-*|${NAME_TIME_GLOB}Z-*`;

/**
 * awk function \`name_time(NAME)\`: the epoch seconds of a backup name's UTC time (the civil date
 * to days, Howard Hinnant's algorithm: POSIX awk has no mktime).
 */
export const AWK_NAME_TIME = `function name_time(s,  y, m, d, era, yoe, doy) {
  y = substr(s, 1, 4) + 0; m = substr(s, 5, 2) + 0; d = substr(s, 7, 2) + 0
  if (m <= 2) y--
  era = int(y / 400); yoe = y - era * 400
  doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
  return (era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468) * 86400 + substr(s, 10, 2) * 3600 + substr(s, 12, 2) * 60 + substr(s, 14, 2)
}`;

/** A transaction id names staged files, backups and the watchdog: lowercase, digits and dashes. */
export const TX_PATTERN = /^[a-z0-9][a-z0-9-]{3,40}$/;

/** Separates the v4 and the v6 ruleset on the transaction script's stdin. */
export const V6_DELIMITER = '@@fleet:v6';
