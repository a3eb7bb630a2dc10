import type { Finding } from './finding.js';

/** The result of one run: one HostResult per selected host, whatever happened to it. */

export type HostStatus =
  | 'ok'
  | 'changed'
  | 'unchanged'
  | 'rolled-back'
  | 'failed'
  | 'unreachable'
  | 'skipped';

/** Statuses that make the run's exit code 1. */
export const BAD_STATUSES: ReadonlySet<HostStatus> = new Set(['rolled-back', 'failed', 'unreachable']);

export interface StepTiming {
  step: string;
  ms: number;
}

export interface HostResult {
  host: string;
  status: HostStatus;
  durationMs: number;
  /** One line a person reads in the summary table. */
  detail: string;
  steps: StepTiming[];
  /** Command-specific data (facts, diff counts, backup path, upgraded packages...). */
  data?: Record<string, unknown>;
  /** Audit findings (empty or absent for other commands). */
  findings?: Finding[];
  /**
   * The rules diff as unified diff text (`--- live` / `+++ profile` hunks), when the command
   * computed one (plan, apply, audit drift). Rendered verbatim (escaped) by every report format.
   */
  diff?: string;
}

/** Which part of the selection a run covers: all of it, its canary hosts, or the rest. */
export type RunPart = 'all' | 'canary' | 'rest';

/** What a report of part of a selection records (`--shard`, `--canary-only`, `--skip-canary`). */
export interface ShardRecord {
  /** Shard I of N; absent when the run was not sharded (a canary-only run). */
  index?: number;
  count?: number;
  part: RunPart;
  /** The whole selection, before the canary split and the shard: size, digest, host names. */
  selection: { size: number; digest: string; hosts: string[] };
}

export interface RunReport {
  /** Version of the JSON report format (bumped on incompatible change). */
  schemaVersion: 1;
  command: string;
  selector: string;
  startedAt: string;
  finishedAt: string;
  /** True when the failure threshold or the user stopped the run before every host was tried. */
  stopped: boolean;
  stopReason?: string;
  /** Present when the run covered only part of its selection (see `fleet report merge`). */
  shard?: ShardRecord;
  hosts: HostResult[];
}
