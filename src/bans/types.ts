import type { Ban } from '../model/ban.js';

/** One entry of inventory/bans.yaml: the shared Ban plus who decided it and when. */
export interface BanEntry extends Ban {
  /** Operator who banned ($USER or --who). */
  who: string;
  /** ISO 8601 time of the ban. */
  when: string;
  /** The entry is wider than MIN_PREFIX and was accepted with --force. */
  force?: boolean;
}

/** What a ban command asks for, after validation. */
export interface BanRequest {
  reason?: string;
  who: string;
  when: Date;
  ttlMs?: number;
  force: boolean;
}
