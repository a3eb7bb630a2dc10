import type { RemoteSession } from '../../remote/types.js';

/** What one host should end up with. */
export interface DesiredRules {
  v4: string;
  /** null: leave IPv6 alone (no ip6tables on the host). */
  v6: string | null;
  /** Restore with --noflush: foreign chains (Docker, fail2ban...) stay as they are. */
  noflush: boolean;
  /**
   * Compare-and-swap: the digests (cas.ts) of the part of the v4 and v6 rules the restore
   * rewrites, as planned; the host does not swap if its rules there moved since. null: no check.
   */
  expect?: { v4: string; v6: string | null } | null;
}

/** How apply reaches a host: the run's connection, and a way to open a NEW one. */
export interface HostLink {
  session: RemoteSession;
  /**
   * A fresh TCP connection and SSH handshake: proof that the management path still works.
   * Its connect timeout is the pool's (ssh_config ConnectTimeout, else 10 s).
   */
  fresh(): Promise<RemoteSession>;
}

export type TransactStep = 'backup' | 'armed' | 'swapped' | 'confirm';

export interface TransactOptions {
  tx: string;
  confirmTimeoutS: number;
  /** Backups kept on the host (and locally). */
  keep: number;
  /** A host with an armed transaction: wait past its deadline (else it is refused). */
  waitArmed?: boolean;
  /** Seconds to wait for the host lock another fleet run holds (0 or absent: refuse at once). */
  waitLockS?: number;
  /** Tests only: cut the run's connection after this step, as a network failure would. */
  cutAfter?: TransactStep;
}

/** What the remote TRANSACT script reported. */
export interface TransactReport {
  backupPath: string;
  backupV4: string;
  backupV6: string | null;
  watchdog: string;
  steps: { step: string; ms: number }[];
}
