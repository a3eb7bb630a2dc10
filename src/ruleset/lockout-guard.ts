/**
 * The lockout guard: before anything is sent anywhere, prove on the compiled rules that a new
 * SSH connection from every management source to the host's SSH port gets in (and that its
 * replies get out). Refuses with an InputError naming the rule that would drop it; `--force`
 * skips the check.
 */
import ipaddr from 'ipaddr.js';
import { InputError, type Problem } from '../errors.js';
import type { Host } from '../model/host.js';
import type { Profile, Source } from '../model/profile.js';
import { CHAINS } from './compile/names.js';
import type { Ruleset } from './model.js';
import { normalizeAddress } from './normalize/addresses.js';
import { simulate, type Where } from './simulate/index.js';
import type { Packet } from './simulate/match.js';
import { joinArgs } from './tokens.js';

export interface LockoutInput {
  profile: Profile;
  host: Host;
  managementSources: readonly Source[];
  rulesets: readonly Ruleset[];
}

export function lockoutProblems(input: LockoutInput): Problem[] {
  return input.managementSources.flatMap((src) => {
    const rs = input.rulesets.find((r) => r.family === src.family);
    const where = rs && blockedAt(rs, src, input.host);
    return where ? [problem(input, src, where)] : [];
  });
}

/** What to do about a refusal: fix the profile, or, with another way in, force it. */
export const LOCKOUT_HINT =
  'allow the management sources in the profile\'s ssh.sources (the "management" set); if you have another way in, run again with --force (apply still arms the watchdog: the old rules come back unless a NEW connection confirms the new ones)';

export function checkLockout(input: LockoutInput): void {
  const problems = lockoutProblems(input);
  if (problems.length === 0) return;
  const byBan = problems.every((p) => p.path === BAN_LIST);
  throw new InputError(
    problems,
    byBan
      ? 'remove that ban from inventory/bans.yaml (`fleet unban CIDR`); --force does not skip it'
      : LOCKOUT_HINT,
  );
}

const BAN_LIST = 'inventory/bans.yaml';

/** Where a new SSH connection from `src` (or its reply) may be dropped, if anywhere. */
export function blockedAt(rs: Ruleset, src: Source, host: Host): Where | undefined {
  const local = ipaddr.isValid(host.address) ? host.address : undefined;
  const common = {
    family: src.family,
    peer: normalizeAddress(src.cidr, src.family),
    local,
    sshPort: host.port,
    peerPort: 40000,
    management: true,
  };
  const syn: Packet = { ...common, direction: 'in', state: 'NEW', flags: ['SYN'] };
  const synAck: Packet = { ...common, direction: 'out', state: 'ESTABLISHED', flags: ['SYN', 'ACK'] };
  return simulate(rs, syn).droppedBy ?? simulate(rs, synAck).droppedBy;
}

function problem(input: LockoutInput, src: Source, w: Where): Problem {
  if (w.chain === CHAINS.bans) {
    return {
      path: BAN_LIST,
      message: `lockout guard: host ${input.host.name} would not let SSH (tcp/${input.host.port}) in from management source ${src.cidr}: the fleet's ban list drops it (${w.table} rule -A ${w.chain} ${joinArgs(w.args)})`,
    };
  }
  const rule =
    w.index === 0
      ? `the ${w.chain} policy (${w.args[0]})`
      : `${w.table} rule -A ${w.chain} ${joinArgs(w.args)}`;
  return {
    path: `${input.profile.file}`,
    message: `lockout guard: host ${input.host.name} (profile ${input.profile.name}) would not let SSH (tcp/${input.host.port}) in from management source ${src.cidr}: it may be dropped by ${rule}`,
  };
}
