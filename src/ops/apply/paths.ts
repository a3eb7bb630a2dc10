/** Where fleet keeps its state on a host. Constants: never built from user values. */
export const HOST_STATE_DIR = '/var/lib/fleet';
export const HOST_BACKUP_DIR = '/var/backups/fleet';
export const HOST_LOCK_FILE = '/run/lock/fleet.lock';

/** A transaction id names staged files, backups and the watchdog: lowercase, digits and dashes. */
export const TX_PATTERN = /^[a-z0-9][a-z0-9-]{3,40}$/;

/** Separates the v4 and the v6 ruleset on the transaction script's stdin. */
export const V6_DELIMITER = '@@fleet:v6';
