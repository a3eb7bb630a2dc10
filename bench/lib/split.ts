/**
 * Pure planning for large bench runs: how many labs side by side and of what size, their names,
 * the memory a run needs before anything is brought up, and the loopback addresses of simulated
 * hosts. Nothing here touches the system (test/bench/split.test.ts).
 */

/** Hosts per lab when the bench splits a large run (a lab holds at most 214: one /24). */
export const PER_LAB = 200;

/** Lab sizes for `total` hosts: ceil(total / perLab) labs, as even as possible, larger first. */
export function labSizes(total: number, perLab = PER_LAB): number[] {
  if (!Number.isInteger(total) || total < 1) throw new Error(`bench: host count must be >= 1, not ${total}`);
  const n = Math.ceil(total / perLab);
  const base = Math.floor(total / n);
  const extra = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

/** `bench`, `bench2`, `bench3`...; a lab name is at most 24 characters. */
export function labNames(prefix: string, count: number): string[] {
  const names = Array.from({ length: count }, (_, i) => (i === 0 ? prefix : `${prefix}${i + 1}`));
  const long = names.find((n) => n.length > 24);
  if (long) throw new Error(`bench: lab name "${long}" is longer than 24 characters: shorten --lab-name`);
  return names;
}

/**
 * Memory one real lab host costs, measured on this machine (bench/README.md, "Thousands of real
 * hosts"): its processes (unshare, init, sshd, sleep) 1.6 MB PSS, and the machine's available
 * memory fell 2.9 MB per host (kernel: namespaces, overlay, tmpfs, page tables). Rounded up.
 */
export const LAB_HOST_MB = 3;
/** Room per host in flight for the tools (pssh: one ssh process, ~0.3 MB in the cgroup; fleet ~0.25). */
export const TOOL_HOST_MB = 1;
/** Kept free whatever the size: the bench, node, the page cache others need. */
export const RESERVE_MB = 2048;

export interface MemoryPlan {
  needMB: number;
  ok: boolean;
  /** The largest host count that fits, at the same per-host cost. */
  maxHosts: number;
}

/** Does a run with `hosts` new lab hosts fit in `availableMB` (MemAvailable)? */
export function memoryPlan(hosts: number, availableMB: number, labHostMB = LAB_HOST_MB): MemoryPlan {
  const per = labHostMB + TOOL_HOST_MB;
  const needMB = RESERVE_MB + hosts * per;
  return {
    needMB,
    ok: needMB <= availableMB,
    maxHosts: Math.max(0, Math.floor((availableMB - RESERVE_MB) / per)),
  };
}

/**
 * Loopback address of simulated host i (0-based): 127.213.X.Y with Y from 1 to 250, so no
 * address ends in .0 or .255 and none is 127.0.0.1 or 127.0.1.1. Up to 256 * 250 hosts.
 */
export function simAddress(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= 256 * 250)
    throw new Error(`bench: no simulated address for host ${i}`);
  return `127.213.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

/** Comma list of whole numbers >= min (`--sizes 100,1000`). */
export function intList(name: string, text: string, min = 1): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < min))
    throw new Error(`--${name} must be a comma list of whole numbers >= ${min}, not "${text}"`);
  return parts.map(Number);
}
