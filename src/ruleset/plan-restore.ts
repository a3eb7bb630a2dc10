/**
 * What apply feeds to iptables-restore on a host, given what the host has now: the merged
 * ruleset (fleet's rules in place of the old ones, other owners' rules kept: merge.ts), rendered
 * for `--noflush` whenever a chain fleet does not own stays on the host (so those chains, and
 * fail2ban's bans in them, are never rewritten), in full otherwise.
 */
import { mergeWith } from './merge.js';
import { findTable, isBuiltinChain, type Ruleset } from './model.js';
import { type ClaimsInput, keepsChain, type Ownership, ownershipOf } from './ownership.js';
import { renderRestore } from './render.js';

export interface RestorePlan {
  ruleset: Ruleset;
  text: string;
  /** Pass `--noflush` to iptables-restore. */
  noflush: boolean;
}

export function planRestore(
  current: Ruleset,
  desired: Ruleset,
  claims: ClaimsInput,
  header?: string,
): RestorePlan {
  const own = ownershipOf(current, claims);
  const ruleset = mergeWith(current, desired, own);
  const keeps = (table: string, chain: string) => keepsChain(table, chain, own);
  const kept = ruleset.tables.some((t) => t.chains.some((c) => keeps(t.name, c.name)));
  if (!kept && own.claims.preserve.length === 0)
    return { ruleset, text: renderRestore(ruleset, { header }), noflush: false };
  const deleteChains = staleChains(current, ruleset, own);
  const text = renderRestore(ruleset, { header, noflush: { keeps, deleteChains } });
  return { ruleset, text, noflush: true };
}

/** User chains on the host, in tables fleet writes, that neither fleet declares nor stay. */
function staleChains(current: Ruleset, merged: Ruleset, own: Ownership) {
  return merged.tables.flatMap((t) =>
    (findTable(current, t.name)?.chains ?? [])
      .filter((c) => !isBuiltinChain(t.name, c.name) && !keepsChain(t.name, c.name, own))
      .filter((c) => !t.chains.some((m) => m.name === c.name))
      .map((c) => ({ table: t.name, chain: c.name })),
  );
}
