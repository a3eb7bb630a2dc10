/**
 * A banned address or network: every host drops packets from it, and `apply` keeps it.
 * Stored fleet-wide (by the ban command); the compiler turns active bans into FLEET-BANS rules.
 */
export interface Ban {
  /** Validated CIDR (a bare address means /32 or /128). */
  cidr: string;
  family: 4 | 6;
  /** Why, for people (never put into a rule: comments name the origin only). */
  reason?: string;
  /** ISO 8601 time after which the ban no longer applies; absent means permanent. */
  expires?: string;
}

/** The epoch second a timed ban ends (rounded up: never early); undefined: permanent. */
export function banUntil(expires: string | undefined): number | undefined {
  const ms = expires === undefined ? Number.NaN : Date.parse(expires);
  return Number.isFinite(ms) ? Math.ceil(ms / 1000) : undefined;
}

/** The bans still in force at `now`. */
export function activeBans(bans: readonly Ban[], now: Date): Ban[] {
  return bans.filter((b) => b.expires === undefined || Date.parse(b.expires) > now.getTime());
}
