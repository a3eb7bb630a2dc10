/**
 * CPU spent on the hosts' side (sshd, the shells and commands it starts, orphans such as apply's
 * watchdog): for each lab host, user+system of its init (pid 1 of its pid namespace) and of its
 * listening sshd, each with the time of their reaped descendants (cutime, cstime). sshd reaps
 * every connection's processes, init reaps orphans, so the sum before and after a run gives the
 * hosts' CPU for that run. Resolution: clock ticks (10 ms) per process, summed over the hosts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { LabHost } from '../../src/lab/index.js';

const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** utime + stime + cutime + cstime, in seconds. */
function cpuWithReaped(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, so utime (14) is f[11] ... cstime (17) is f[14].
    return [11, 12, 13, 14].reduce((t, i) => t + Number(f[i]), 0) / TICK;
  } catch {
    return 0;
  }
}

/** The pid (this machine's numbering) of a lab host's listening sshd, or null. */
export function sshdPid(host: LabHost): number | null {
  for (const init of children(host.pid)) for (const c of children(init)) if (comm(c) === 'sshd') return c;
  return null;
}

/** Host-side CPU seconds so far, summed over the hosts (lab host pid = its `unshare`). */
export function hostCpuS(hosts: readonly LabHost[]): number {
  let total = 0;
  for (const h of hosts) {
    for (const init of children(h.pid)) {
      total += cpuWithReaped(init);
      for (const c of children(init)) if (comm(c) === 'sshd') total += cpuWithReaped(c);
    }
  }
  return total;
}
