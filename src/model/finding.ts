/** An audit finding: one check that did not hold on one host. */
export type Severity = 'info' | 'warning' | 'critical';

export interface Finding {
  /** Stable identifier of the check, e.g. `policy-input-drop`, `drift`, `ssh-rate-limit`. */
  check: string;
  severity: Severity;
  message: string;
}
