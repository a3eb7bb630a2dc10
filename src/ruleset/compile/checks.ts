/**
 * What the kernel would refuse, caught at compile time with a message that says what to change
 * (the profile loader checks most of it first; this is the compiler's own guarantee).
 */
import type { Problem } from '../../errors.js';
import { MAX_RATE_HITS, type Profile } from '../../model/profile.js';
import { ratePeriod } from '../normalize/rate.js';

/** xt_recent keeps at most ip_pkt_list_tot (default 20) timestamps per address; more hits never match. */
export const MAX_HITCOUNT = 20;

/** The LOG target's prefix holds 29 characters. */
export const MAX_LOG_PREFIX = 29;

export function checkProfile(p: Profile): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path: `${p.file}: ${path}`, message });
  const rl = p.ssh.rateLimit;
  if (rl && (!Number.isInteger(rl.hits) || rl.hits < 1 || rl.hits > MAX_RATE_HITS)) {
    add(
      'ssh.rate_limit.hits',
      `${rl.hits} is not 1..${MAX_RATE_HITS} (the kernel's recent module counts at most ${MAX_HITCOUNT} hits per address, and the connection being decided is one of them)`,
    );
  }
  if (rl && (!Number.isInteger(rl.seconds) || rl.seconds < 1))
    add('ssh.rate_limit.seconds', `${rl.seconds} is not a whole number of seconds >= 1`);
  if (!validPort(p.ssh.port)) add('ssh.port', `${p.ssh.port} is not a port (1..65535)`);
  for (const s of p.services) {
    if (!validPort(s.ports.from) || !validPort(s.ports.to) || s.ports.from > s.ports.to) {
      add(`services.${s.name}.port`, `${s.ports.from}:${s.ports.to} is not a port or range within 1..65535`);
    }
  }
  if (p.icmp.rate && ratePeriod(p.icmp.rate) === undefined)
    add('icmp.rate', `"${p.icmp.rate}" is not a rate like 5/second`);
  if (p.log) checkLog(p.log, add);
  return problems;
}

function checkLog(log: NonNullable<Profile['log']>, add: (path: string, message: string) => void): void {
  if (log.prefix.length > MAX_LOG_PREFIX)
    add('log.prefix', `"${log.prefix}" is longer than ${MAX_LOG_PREFIX} characters`);
  if (ratePeriod(log.limit) === undefined) add('log.limit', `"${log.limit}" is not a rate like 5/minute`);
  if (log.burst !== undefined && (!Number.isInteger(log.burst) || log.burst < 1 || log.burst > 10000)) {
    add('log.burst', `${log.burst} is not 1..10000`);
  }
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
