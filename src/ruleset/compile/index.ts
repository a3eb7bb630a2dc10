/**
 * compile: a profile (+ host, management sources, bans) → the iptables-restore text for IPv4 and
 * IPv6, and the rule model behind it. Pure and deterministic: same input, same bytes.
 * Refuses (InputError) a profile the kernel would not take, and one that would lock the
 * operator out (see lockout-guard.ts) unless `force` is set.
 */
import { InputError } from '../../errors.js';
import type { Ban } from '../../model/ban.js';
import type { Host } from '../../model/host.js';
import type { Profile, Source } from '../../model/profile.js';
import { checkLockout } from '../lockout-guard.js';
import type { LockoutTarget } from '../lockout-merged.js';
import { BUILTIN_CHAINS, type Chain, type Family, type Ruleset, sortChains, type Table } from '../model.js';
import { renderRestore } from '../render.js';
import { BAN_TABLE, type BanMode, banChains } from './bans.js';
import { checkProfile } from './checks.js';
import { filterTable } from './filter.js';
import { type PlacedRaw, rawRules } from './raw.js';

export interface CompileInput {
  profile: Profile;
  host: Host;
  /**
   * Where fleet's SSH comes from: settings.management_sources, and for a host behind a bastion
   * the bastion's addresses too. They skip the SSH rate limit (where the profile allows them).
   */
  managementSources: Source[];
  /** Where this host sees fleet's SSH come from, for the lockout guard (default managementSources). */
  sshFrom?: Source[];
  bans?: Ban[];
  /** `rules` (default): one rule per ban; `ipset`: match the host's fleet-bans4/6 sets. */
  banMode?: BanMode;
  /** Skip the lockout guard. */
  force?: boolean;
}

export interface CompileOutput {
  /** iptables-restore text. With `noflush`, meant for `iptables-restore --noflush`. */
  v4: string;
  v6: string;
  rulesets: { v4: Ruleset; v6: Ruleset };
  /** The profile preserves foreign chains: restore with --noflush (apply: use planRestore). */
  noflush: boolean;
  preserve: string[];
  /** Known owners the profile takes over: their chains and rules are fleet's to delete. */
  takeover: string[];
  /** The rules are a whole ruleset to put back exactly (a backup): nothing of the host's stays. */
  exact?: boolean;
  /** The profile compiled (for messages). */
  profile?: string;
  /** Compiled with `force`: the lockout guard was skipped, and apply's refusals are too. */
  force?: boolean;
  /**
   * Without `force`: what the lockout guard protected, for its second check on the rules merged
   * with the host's (ops/host-plan.ts, lockout-merged.ts).
   */
  guard?: LockoutTarget;
}

export function compile(input: CompileInput): CompileOutput {
  const problems = checkProfile(input.profile);
  if (problems.length > 0) throw new InputError(problems);
  const v4 = compileFamily(input, 4);
  const v6 = compileFamily(input, 6);
  const managementSources = input.sshFrom ?? input.managementSources;
  const guard = input.force ? undefined : { profile: input.profile, host: input.host, managementSources };
  if (guard) checkLockout({ ...guard, rulesets: [v4, v6] });
  const preserve = [...input.profile.preserve];
  const noflush = preserve.length > 0;
  const header = `fleet: profile ${input.profile.name}, host ${input.host.name}`;
  const render = (rs: Ruleset) => renderRestore(rs, { header, noflush: noflush ? {} : undefined });
  const takeover = [...(input.profile.takeover ?? [])];
  const profile = input.profile.name;
  const force = input.force === true;
  return {
    v4: render(v4),
    v6: render(v6),
    rulesets: { v4, v6 },
    noflush,
    preserve,
    takeover,
    profile,
    force,
    ...(guard && { guard }),
  };
}

export function compileFamily(input: CompileInput, family: Family): Ruleset {
  const raw = rawRules(input.profile, family);
  const filter = filterTable({
    profile: input.profile,
    management: input.managementSources,
    family,
    raw: byChain(raw.filter((r) => r.table === 'filter')),
  });
  const bans = banChains(input.bans ?? [], family, input.banMode ?? 'rules');
  const others = ['raw', 'mangle', 'nat'].flatMap((t) => otherTable(t, raw, t === BAN_TABLE ? bans : []));
  return { family, tables: [...others, filter] };
}

function byChain(raw: PlacedRaw[]): Map<string, PlacedRaw['rule'][]> {
  const out = new Map<string, PlacedRaw['rule'][]>();
  for (const r of raw) out.set(r.rule.chain, [...(out.get(r.rule.chain) ?? []), r.rule]);
  return out;
}

/**
 * nat, mangle: written only when raw rules use them (so Docker's nat stays untouched otherwise).
 * raw: always, for the bans' jump and chain (`first`), then the profile's raw rules after them.
 */
function otherTable(name: string, raw: PlacedRaw[], first: Chain[]): Table[] {
  const mine = byChain(raw.filter((r) => r.table === name));
  if (mine.size === 0 && first.length === 0) return [];
  const chains: Chain[] = (BUILTIN_CHAINS[name] ?? []).map((c) => ({ name: c, policy: 'ACCEPT', rules: [] }));
  for (const f of first) {
    const found = chains.find((c) => c.name === f.name);
    if (found) found.rules.push(...f.rules);
    else chains.push({ ...f, rules: [...f.rules] });
  }
  for (const [chain, rules] of mine) {
    const found = chains.find((c) => c.name === chain);
    if (found) found.rules.push(...rules);
    else chains.push({ name: chain, policy: null, rules });
  }
  return [{ name, chains: sortChains(name, chains) }];
}
