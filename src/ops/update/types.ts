/** What `fleet update` asks of one host and what it learns back. Plain data, no behaviour. */

export type UpdateMode = 'check' | 'upgrade';

/** The package managers fleet drives; `none` when the host has none of them. */
export type UpdatePackageManager = 'apt' | 'dnf' | 'yum' | 'none';

export interface UpdateOptions {
  /** `check` changes nothing and lists what would be upgraded. */
  mode: UpdateMode;
  /** Only updates from security sources (apt: pinned security suites; dnf/yum: `--security`). */
  securityOnly: boolean;
  /** How long to wait for another package manager's lock before giving up, in seconds. */
  lockWaitSeconds: number;
  /** Time limit for the whole remote script, in ms. */
  timeoutMs?: number;
}

/** One package's change. `old` null: newly installed; `new` null: removed. */
export interface PackageChange {
  name: string;
  old: string | null;
  new: string | null;
}

export interface UpdateResult {
  ok: boolean;
  packageManager: UpdatePackageManager;
  mode: UpdateMode;
  securityOnly: boolean;
  /** What would be upgraded (check mode), or what the simulation said before upgrading. */
  pending: PackageChange[];
  /** What actually changed on the host (upgrade mode): installed versions before and after. */
  changed: PackageChange[];
  /** True or false when the host can tell; null when it cannot (no needs-restarting). */
  rebootRequired: boolean | null;
  /** Packages that asked for the reboot (Debian's /var/run/reboot-required.pkgs). */
  rebootPackages: string[];
  /** Short text of the package manager's error when `ok` is false. */
  error?: string;
  /** The step that failed (`update`, `check`, `upgrade`, `detect`, `script`). */
  failedStep?: string;
}

/** Defaults a caller may rely on. */
export const DEFAULT_LOCK_WAIT_SECONDS = 120;
