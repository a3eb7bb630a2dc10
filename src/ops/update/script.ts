/**
 * The update script: one POSIX sh text, one exec channel. It finds the package manager
 * (apt, then dnf, then yum), runs its part and ends with section `end`, so a cut-off run is told
 * apart from a finished one. Arguments: MODE (check|upgrade), SECURITY (0|1), LOCK_WAIT (seconds).
 */

import { APT_PART } from './script-apt.js';
import { SCRIPT_HEAD } from './script-common.js';
import { RPM_PART } from './script-rpm.js';
import type { UpdateOptions } from './types.js';

export const UPDATE_SCRIPT = `${SCRIPT_HEAD}${APT_PART}${RPM_PART}
section pm
if have apt-get && have dpkg-query; then echo apt; apt_run
elif have dnf; then echo dnf; rpm_run dnf
elif have yum; then echo yum; rpm_run yum
else echo none; fi
section end
`;

/** The script's argv, from validated options (the only values that reach the host). */
export function updateArgs(opts: UpdateOptions): string[] {
  const wait = opts.lockWaitSeconds;
  if (!Number.isInteger(wait) || wait < 0 || wait > 86_400) {
    throw new RangeError(`lock wait must be a whole number of seconds (0-86400), got ${wait}`);
  }
  return [opts.mode, opts.securityOnly ? '1' : '0', String(wait)];
}
