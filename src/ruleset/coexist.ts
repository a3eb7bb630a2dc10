/**
 * What a host shares with other tools, seen from one family's plan: the known owners found on
 * it (by chain, or by a rule in a built-in chain), how many rules that are not fleet's stay,
 * and which known owners' chains the plan would delete. Pure; docs/coexistence.md.
 */
import { chainOwner, ruleOwner } from './foreign.js';
import { findTable, isBuiltinChain, type Ruleset } from './model.js';
import { isFleetRule } from './ownership.js';

export interface DeletedChain {
  tool: string;
  table: string;
  chain: string;
}

export interface Coexistence {
  /** Known owners found on the host, by their catalogue names, sorted. */
  tools: string[];
  /** Rules that are not fleet's and stay on the host. */
  kept: number;
  /** Known owners' chains the plan deletes. */
  deleted: DeletedChain[];
}

export function coexistence(current: Ruleset, merged: Ruleset): Coexistence {
  return {
    tools: toolsOn(current),
    kept: keptRules(current, merged),
    deleted: deletedChains(current, merged),
  };
}

/** Both families' views as one. */
export function joinCoexistence(parts: readonly Coexistence[]): Coexistence {
  return {
    tools: [...new Set(parts.flatMap((p) => p.tools))].sort(),
    kept: parts.reduce((n, p) => n + p.kept, 0),
    deleted: parts.flatMap((p) => p.deleted),
  };
}

function toolsOn(rs: Ruleset): string[] {
  const found = new Set<string>();
  for (const t of rs.tables) {
    for (const c of t.chains) {
      if (!isBuiltinChain(t.name, c.name)) {
        const owner = chainOwner(c.name);
        if (owner) found.add(owner.tool);
        continue;
      }
      for (const r of c.rules) {
        const owner = isFleetRule(r) ? undefined : ruleOwner(r);
        if (owner) found.add(owner.tool);
      }
    }
  }
  return [...found].sort();
}

/** Rules not fleet's that stay: in the tables fleet writes, as merged; in the others, all. */
function keptRules(current: Ruleset, merged: Ruleset): number {
  return current.tables.reduce((n, t) => {
    const after = findTable(merged, t.name) ?? t;
    return n + after.chains.reduce((m, c) => m + c.rules.filter((r) => !isFleetRule(r)).length, 0);
  }, 0);
}

function deletedChains(current: Ruleset, merged: Ruleset): DeletedChain[] {
  return merged.tables.flatMap((m) =>
    (findTable(current, m.name)?.chains ?? []).flatMap((c) => {
      const tool = chainOwner(c.name)?.tool;
      if (!tool || m.chains.some((x) => x.name === c.name)) return [];
      return [{ tool, table: m.name, chain: c.name }];
    }),
  );
}
