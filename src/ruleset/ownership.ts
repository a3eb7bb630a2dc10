/**
 * Who owns what in a ruleset fleet did not write alone. Fleet owns its FLEET-* chains and every
 * rule whose comment starts with `fleet:`. Under `preserve`, another tool owns the chains the
 * globs match and, in built-in chains, the rules that jump to them — plus the rules on the
 * interfaces those tools manage (Docker's `-o docker0 ... -j ACCEPT` in FORWARD, its
 * `! -o docker0 -j MASQUERADE` in nat): an interface is foreign when a rule in or into a
 * foreign chain names it.
 */
import { FLEET_CHAIN_PREFIX, isFleetComment } from './compile/names.js';
import { isForeignChain } from './foreign.js';
import { type Rule, type Ruleset, type Table, targetOf } from './model.js';

export function isFleetRule(rule: Rule): boolean {
  return rule.chain.startsWith(FLEET_CHAIN_PREFIX) || isFleetComment(rule.comment);
}

/** Does a table hold anything of fleet's (so fleet must keep managing it)? */
export function hasFleetContent(table: Table): boolean {
  return table.chains.some((c) => c.name.startsWith(FLEET_CHAIN_PREFIX) || c.rules.some(isFleetRule));
}

function interfacesOf(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < args.length; i++) {
    if (
      args[i] === '-i' ||
      args[i] === '-o' ||
      args[i] === '--in-interface' ||
      args[i] === '--out-interface'
    ) {
      out.push(args[i + 1]!);
    }
  }
  return out;
}

/** Interfaces named by rules in or into preserved chains, across every table. */
export function foreignInterfaces(rs: Ruleset, preserve: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (preserve.length === 0) return out;
  for (const t of rs.tables) {
    for (const c of t.chains) {
      const inForeign = isForeignChain(c.name, preserve);
      for (const r of c.rules) {
        const target = targetOf(r.args);
        if (inForeign || (target && isForeignChain(target, preserve)))
          for (const i of interfacesOf(r.args)) out.add(i);
      }
    }
  }
  return out;
}

export interface Ownership {
  preserve: readonly string[];
  interfaces: ReadonlySet<string>;
}

export function ownershipOf(current: Ruleset, preserve: readonly string[]): Ownership {
  return { preserve, interfaces: foreignInterfaces(current, preserve) };
}

/** A rule in a built-in chain that belongs to another tool (and stays where it is). */
export function isForeignRule(rule: Rule, own: Ownership): boolean {
  if (own.preserve.length === 0 || isFleetRule(rule)) return false;
  const target = targetOf(rule.args);
  if (target && isForeignChain(target, own.preserve)) return true;
  return interfacesOf(rule.args).some((i) => own.interfaces.has(i));
}
