/**
 * Whether fleet may go ahead on a host it shares with other tools (docs/coexistence.md): it
 * refuses a plan that deletes a known owner's chains the profile does not take over, and a host
 * where a tool that rebuilds its chains on reload (ufw, firewalld) is active, unless the profile
 * takes it over or the run is forced, and one where a rule it keeps would cut the management path
 * (the lockout guard on the merged rules). The message says what would break and how to go on. Pure.
 */
import { knownOwner } from '../model/known-owners.js';
import type { Coexistence, DeletedChain } from '../ruleset/coexist.js';

export interface HostCoexistence {
  /** Known owners found on the host. */
  tools: string[];
  /** Rules that are not fleet's and stay. */
  kept: number;
  /** Tools found on the host that the profile takes over. */
  takenOver: string[];
  /** Why fleet refuses this host (absent: it may go ahead). */
  refused?: string;
}

export interface CoexistInput {
  profile: string;
  takeover: readonly string[];
  /** Tools the facts found running (ufw, firewalld). */
  active: readonly string[];
  force: boolean;
  /** Putting a backup back: nothing to refuse. */
  exact: boolean;
  /** The lockout guard's reasons on the merged rules (ruleset/lockout-merged.ts). */
  lockout?: readonly string[];
}

export function checkCoexistence(c: Coexistence, input: CoexistInput): HostCoexistence {
  const takeover = new Set(input.takeover);
  const out: HostCoexistence = {
    tools: c.tools,
    kept: c.kept,
    takenOver: c.tools.filter((t) => takeover.has(t)),
  };
  if (input.force || input.exact) return out;
  const reasons = [
    ...activeReasons(input.active, takeover, input.profile),
    ...deletionReasons(c.deleted, takeover, input.profile),
    ...(input.lockout ?? []),
  ];
  return reasons.length > 0 ? { ...out, refused: reasons.join('; ') } : out;
}

function activeReasons(active: readonly string[], takeover: ReadonlySet<string>, profile: string): string[] {
  return active
    .filter((t) => knownOwner(t)?.rebuilds && !takeover.has(t))
    .map(
      (t) =>
        `${t} is active on this host: it rebuilds its chains and resets the policies whenever it reloads, so it and fleet would undo each other; stop it and add \`takeover: [${t}]\` to profile ${profile}, leave this host to ${t}, or pass --force`,
    );
}

function deletionReasons(deleted: readonly DeletedChain[], takeover: ReadonlySet<string>, profile: string) {
  const byTool = new Map<string, Set<string>>();
  for (const d of deleted) {
    if (takeover.has(d.tool)) continue;
    byTool.set(d.tool, (byTool.get(d.tool) ?? new Set()).add(`${d.table}/${d.chain}`));
  }
  return [...byTool].map(([tool, chains]) => {
    const names = [...chains].sort();
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', ...' : '');
    const breaks = knownOwner(tool)?.breaks ?? 'it stops working';
    return `the profile would delete ${tool}'s ${names.length} chain${names.length > 1 ? 's' : ''} (${shown}): ${breaks}; keep them with \`preserve: [${tool}]\` (or \`known-owners\`), hand them to fleet with \`takeover: [${tool}]\` in profile ${profile}, or pass --force`;
  });
}

/** `docker, calico, fail2ban: 112 rules kept` ('' when the host shares nothing). */
export function coexistText(c: Pick<HostCoexistence, 'tools' | 'kept' | 'takenOver'>): string {
  const kept = `${c.kept} rule${c.kept === 1 ? '' : 's'} kept`;
  const over = c.takenOver.length > 0 ? ` (taken over: ${c.takenOver.join(', ')})` : '';
  if (c.tools.length > 0) return `${c.tools.join(', ')}: ${kept}${over}`;
  return c.kept > 0 ? `other owners: ${kept}` : '';
}
