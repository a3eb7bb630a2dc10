/**
 * Who owns what in a ruleset fleet does not write alone (docs/coexistence.md). Fleet owns its
 * FLEET-* chains, every rule whose comment starts with `fleet:`, and the policies of the
 * built-in chains of the tables its profile declares. Everything else belongs to someone else
 * and stays in place and in order, except:
 *
 * - in filter, a user chain stays only when the profile preserves it (the shipped base
 *   preserves every known owner's); a rule of a filter built-in chain stays when it jumps to a
 *   chain that stays, names an interface that such chains name, or is recognisably a known
 *   owner's (comment, ipset, mark, interface). The rest — an admin's hand-made
 *   `-A INPUT ... -j ACCEPT` — is drift that apply removes;
 * - a tool the profile takes over (`takeover:`) owns nothing any more: its chains, in every
 *   table, and its rules in built-in chains go.
 */
import { FLEET_CHAIN_PREFIX, isFleetComment } from './compile/names.js';
import { chainOwner, interfacesOf, isForeignChain, ruleOwner } from './foreign.js';
import { isBuiltinChain, type Rule, type Ruleset, type Table, targetOf } from './model.js';

export function isFleetRule(rule: Rule): boolean {
  return rule.chain.startsWith(FLEET_CHAIN_PREFIX) || isFleetComment(rule.comment);
}

/** Does a table hold anything of fleet's (so fleet must keep managing it)? */
export function hasFleetContent(table: Table): boolean {
  return table.chains.some((c) => c.name.startsWith(FLEET_CHAIN_PREFIX) || c.rules.some(isFleetRule));
}

/** What the profile claims: the chains it preserves and the tools it takes over. */
export interface Claims {
  preserve: readonly string[];
  takeover?: readonly string[];
  /**
   * Desired is a whole ruleset to put back exactly (a backup, or a comparison of two saves):
   * nothing of current stays.
   */
  exact?: boolean;
}

/** Older callers pass the preserve globs alone. */
export type ClaimsInput = Claims | readonly string[];

export function claimsOf(c: ClaimsInput): Claims {
  return Array.isArray(c) ? { preserve: c as readonly string[] } : (c as Claims);
}

export interface Ownership {
  claims: Claims;
  takeover: ReadonlySet<string>;
  /** User chains on the host, per table. */
  chains: ReadonlyMap<string, ReadonlySet<string>>;
  /** Interfaces named by rules in or into the filter chains that stay. */
  interfaces: ReadonlySet<string>;
}

export function ownershipOf(current: Ruleset, input: ClaimsInput): Ownership {
  const claims = claimsOf(input);
  const chains = new Map(
    current.tables.map((t) => [
      t.name,
      new Set(t.chains.filter((c) => !isBuiltinChain(t.name, c.name)).map((c) => c.name)),
    ]),
  );
  const own = { claims, takeover: new Set(claims.takeover ?? []), chains, interfaces: new Set<string>() };
  for (const i of keptInterfaces(current, own)) own.interfaces.add(i);
  return own;
}

function takenOver(tool: string | undefined, own: Ownership): boolean {
  return tool !== undefined && own.takeover.has(tool);
}

/** A user chain that stays as it is (fleet neither declares, flushes nor deletes it). */
export function keepsChain(table: string, name: string, own: Ownership): boolean {
  if (own.claims.exact) return false;
  if (name.startsWith(FLEET_CHAIN_PREFIX) || isBuiltinChain(table, name)) return false;
  if (takenOver(chainOwner(name)?.tool, own)) return false;
  return table !== 'filter' || isForeignChain(name, own.claims.preserve);
}

/** A rule of a built-in chain that is not fleet's and stays where it is. */
export function keepsRule(table: string, rule: Rule, own: Ownership): boolean {
  if (own.claims.exact || isFleetRule(rule)) return false;
  const target = targetOf(rule.args);
  if (target && own.chains.get(table)?.has(target)) return keepsChain(table, target, own);
  const tool = ruleOwner(rule)?.tool;
  if (takenOver(tool, own)) return false;
  if (table !== 'filter' || tool) return true;
  return interfacesOf(rule.args).some((i) => own.interfaces.has(i));
}

/**
 * Interfaces named by rules in or into the preserved or known owners' chains that stay, in any
 * table (Docker's networks, for one): rules on them in filter's built-ins are those tools' too.
 */
function keptInterfaces(current: Ruleset, own: Ownership): Set<string> {
  const out = new Set<string>();
  const owned = (table: string, chain: string) =>
    keepsChain(table, chain, own) && (isForeignChain(chain, own.claims.preserve) || !!chainOwner(chain));
  for (const t of current.tables) {
    for (const c of t.chains) {
      const inKept = owned(t.name, c.name);
      for (const r of c.rules) {
        const target = targetOf(r.args);
        if (inKept || (target !== undefined && owned(t.name, target)))
          for (const i of interfacesOf(r.args)) out.add(i);
      }
    }
  }
  return out;
}
