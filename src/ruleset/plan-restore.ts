/**
 * What apply feeds to iptables-restore on a host, given what the host has now: the merged
 * ruleset (fleet's rules in place of the old ones, foreign rules kept), rendered in full when
 * the profile preserves nothing, or for `--noflush` when it does, so preserved chains (and
 * fail2ban's bans in them) are never rewritten.
 */
import { isForeignChain } from './foreign.js';
import { merge } from './merge.js';
import { findTable, isBuiltinChain, type Ruleset } from './model.js';
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
  preserve: readonly string[],
  header?: string,
): RestorePlan {
  const ruleset = merge(current, desired, preserve);
  if (preserve.length === 0) return { ruleset, text: renderRestore(ruleset, { header }), noflush: false };
  const deleteChains = staleChains(current, ruleset, preserve);
  const text = renderRestore(ruleset, { header, noflush: { preserve, deleteChains } });
  return { ruleset, text, noflush: true };
}

/** User chains on the host, in tables fleet writes, that are neither fleet's now nor preserved. */
function staleChains(current: Ruleset, merged: Ruleset, preserve: readonly string[]) {
  return merged.tables.flatMap((t) =>
    (findTable(current, t.name)?.chains ?? [])
      .filter((c) => !isBuiltinChain(t.name, c.name) && !isForeignChain(c.name, preserve))
      .filter((c) => !t.chains.some((m) => m.name === c.name))
      .map((c) => ({ table: t.name, chain: c.name })),
  );
}
