/** What the audit's checks read: plain data gathered once per host. Checks are pure over it. */
import type { Ban } from '../../model/ban.js';
import type { Finding, Severity } from '../../model/finding.js';
import type { Profile, Source } from '../../model/profile.js';
import type { Ruleset } from '../../ruleset/index.js';
import type { Facts } from '../facts.js';
import type { HostPlan } from '../host-plan.js';

export interface PendingUpdates {
  packageManager: string;
  /** Package names an upgrade would change (from the host's current lists). */
  pending: string[];
  /** The subset from security sources (apt only; empty where the host cannot tell). */
  security: string[];
  rebootRequired: boolean | null;
  /** The package manager's complaint when it could not answer. */
  error?: string;
}

/** What the audit script read on the host (script.ts, parse.ts). */
export interface HostExtras {
  /** The host's clock, Unix seconds (ages are measured on it, not on the workstation's). */
  now: number;
  /** The persist files' text; null when missing. */
  persisted: { v4: string | null; v6: string | null };
  backups: { newest: number | null; count: number; newestPath?: string };
  /** Members of fleet-bans4/6; null when the set does not exist. */
  banSets: { v4: string[] | null; v6: string[] | null };
  /** Global IPv6 addresses of the host (CIDR). */
  ipv6Addresses: string[];
  updates: PendingUpdates;
}

export interface AuditSettings {
  /** A newest backup older than this (seconds) is a finding; 0: do not check the age. */
  backupMaxAgeS: number;
}

export interface AuditInput {
  host: { name: string; port: number };
  profile: Profile;
  facts: Facts;
  live: { v4: Ruleset; v6: Ruleset | null };
  plan: HostPlan;
  extras: HostExtras;
  /** The inventory's management sources (known SSH sources besides the profile's). */
  management: readonly Source[];
  /** The fleet's live bans (inventory/bans.yaml). */
  bans: readonly Ban[];
  settings: AuditSettings;
}

/** One check family: pure, returns the findings it has (none when the host is fine). */
export type Check = (input: AuditInput) => Finding[];

export function finding(check: string, severity: Severity, message: string): Finding {
  return { check, severity, message };
}
