/**
 * Compiling hosts for a run: the profile, the management path as the host sees it (a bastion's
 * addresses for a host behind one: inventory/management-path.ts) and the fleet's live bans. Every selected host is compiled once before any connection, so a profile that
 * does not compile (or would lock the operator out) stops the run with exit 2, sending nothing.
 */
import { banFilePath, readBanFile } from '../bans/file-io.js';
import { type HostTarget, hostTargets } from '../bans/list.js';
import { checkLiveBans, type LiveBans, readLiveBans } from '../bans/live.js';
import { InputError, type Problem } from '../errors.js';
import { type Fleet, profileFor } from '../inventory/index.js';
import { managementPath, withManagement } from '../inventory/management-path.js';
import type { Ban } from '../model/ban.js';
import type { Host } from '../model/host.js';
import { type BanMode, type CompileOutput, compile } from '../ruleset/index.js';

export interface CompileFlags {
  /** Skip the lockout guard (--force). */
  force?: boolean;
}

/** The bans in force now, from inventory/bans.yaml (none when the file is absent). */
export function liveBans(dir: string, now = new Date()): Promise<LiveBans> {
  return readLiveBans(dir, now);
}

export function compileHost(
  fleet: Fleet,
  host: Host,
  bans: Ban[],
  flags: CompileFlags,
  banMode: BanMode = 'rules',
): CompileOutput {
  const path = managementPath(fleet, host);
  return compile({
    profile: withManagement(profileFor(fleet, host), path.set),
    host,
    managementSources: path.set,
    sshFrom: path.sources,
    bans,
    banMode,
    force: flags.force,
  });
}

/** Every entry of inventory/bans.yaml as the hosts get it (timed ones with the seconds left). */
export async function listedTargets(dir: string, now = new Date()): Promise<HostTarget[]> {
  return hostTargets((await readBanFile(banFilePath(dir))).entries, now);
}

/**
 * How a host holds the fleet's bans: in ipsets where it has ipset (both families' sets exist
 * from the first apply, so a ban changes set members, never rules), else as rules. apply syncs
 * the sets the same way (ops/ban), so plan and apply agree.
 */
export function banModeFor(_bans: readonly Ban[], hostHasIpset: boolean): BanMode {
  return hostHasIpset ? 'ipset' : 'rules';
}

/**
 * The hosts of one run, compiled once each: `checkAll` runs the ban guard over the ban list, then
 * compiles every selected host before any connection (input errors stop the run there), and
 * `compile` hands those results back to the host tasks instead of compiling again (ipset-mode
 * rulesets are compiled, once, when asked).
 */
export class HostCompiler {
  private readonly done = new Map<string, CompileOutput>();
  private readonly bans: Ban[];

  constructor(
    private readonly live: LiveBans,
    private readonly flags: CompileFlags,
  ) {
    this.bans = live.bans;
  }

  /** `held`: bans the host keeps although the list lacks them (rules mode lists each one). */
  compile(fleet: Fleet, host: Host, banMode: BanMode = 'rules', held: readonly Ban[] = []): CompileOutput {
    const extra = banMode === 'rules' ? held : [];
    const key = `${banMode} ${host.name}${extra.map((b) => ` ${b.cidr}`).join('')}`;
    let out = this.done.get(key);
    if (!out) {
      out = compileHost(fleet, host, [...this.bans, ...extra], this.flags, banMode);
      this.done.set(key, out);
    }
    return out;
  }

  /**
   * The ban guard (whatever the flags: a refused entry names bans.yaml, not a profile), then
   * every host compiled; all problems of all hosts in one InputError, with the hints the
   * problems came with (the lockout guard's says how to proceed), else a generic one.
   */
  checkAll(fleet: Fleet, hosts: Host[]): void {
    checkLiveBans(this.live, fleet);
    const hints = new Set<string>();
    const problems = hosts.flatMap((host) => this.problemsOf(fleet, host, hints));
    if (problems.length > 0) {
      const hint = hints.size > 0 ? [...hints].join('\nhint: ') : 'fix these, then run the command again';
      throw new InputError(dedupe(problems), hint);
    }
  }

  private problemsOf(fleet: Fleet, host: Host, hints: Set<string>): Problem[] {
    try {
      this.compile(fleet, host);
      return [];
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      if (err.hint) hints.add(err.hint);
      const named = (p: Problem) => p.message.includes(`host ${host.name}`);
      return err.problems.map((p) => (named(p) ? p : { ...p, message: `host ${host.name}: ${p.message}` }));
    }
  }
}

/** Compiles every host once (validate, tests); all problems of all hosts in one InputError. */
export function precompile(fleet: Fleet, hosts: Host[], live: LiveBans, flags: CompileFlags): void {
  new HostCompiler(live, flags).checkAll(fleet, hosts);
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pos?.file}:${p.pos?.line}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
