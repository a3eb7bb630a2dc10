/**
 * A role profile after loading, validation and `extends` merging: what the compiler reads.
 * Addresses are validated CIDR strings (IPv4 or IPv6, a bare address means /32 or /128);
 * named address sets are already expanded into `sources` by the loader, but each source
 * remembers the set it came from so rule comments can name it.
 */

export type Policy = 'ACCEPT' | 'DROP';
export type Proto = 'tcp' | 'udp';

export interface Source {
  cidr: string;
  family: 4 | 6;
  /** Name of the address set this came from, if any. */
  set?: string;
  /** From the built-in `management` set (a host behind a bastion adds its path to those lists). */
  management?: true;
}

/** A port or an inclusive range. */
export interface PortSpec {
  from: number;
  to: number;
}

export interface SshPolicy {
  port: number;
  /** Empty means from anywhere (the hygiene audit flags that). */
  sources: Source[];
  /**
   * New-connection rate limit with the `recent` module: at most `hits` new connections per
   * `seconds` pass (compiled as --hitcount hits+1), the next one is dropped.
   */
  rateLimit?: { hits: number; seconds: number };
}

export interface ServiceRule {
  /** The entry's name in the profile (used in rule comments). */
  name: string;
  proto: Proto;
  ports: PortSpec;
  /** Empty means from anywhere. */
  sources: Source[];
}

export interface IcmpPolicy {
  ping: boolean;
  /** e.g. `5/second`, as iptables' `limit` module takes it. */
  rate?: string;
}

export interface LogPolicy {
  /** At most 28 characters, as the LOG target allows. */
  prefix: string;
  /** e.g. `5/min`. */
  limit: string;
  burst?: number;
}

/** A raw rule from the escape hatch: validated as iptables arguments, without `-A CHAIN`. */
export interface RawRule {
  table: 'filter' | 'nat' | 'mangle' | 'raw';
  chain: string;
  args: string[];
  family: 4 | 6 | 'both';
}

export interface Profile {
  name: string;
  /** The chain of profiles merged into this one, root first (for comments and messages). */
  lineage: string[];
  file: string;
  /** What the profile is for, as its file says (optional). */
  description?: string;
  policies: { input: Policy; forward: Policy; output: Policy };
  ssh: SshPolicy;
  services: ServiceRule[];
  icmp: IcmpPolicy;
  log?: LogPolicy;
  /**
   * Chain-name globs that are not fleet's to touch, e.g. `DOCKER*`, `f2b-*`, `KUBE-*`; a known
   * owner's name (`docker`) stands for its chains, `known-owners` for every known owner's.
   */
  preserve: string[];
  /** Known owners (src/model/known-owners.ts) whose chains fleet may delete. */
  takeover?: string[];
  raw: RawRule[];
}

/**
 * The most `ssh.rate_limit.hits` can be: xt_recent remembers 20 packets per address by default
 * (--hitcount above 20 never matches), and `hits: N` compiles to --hitcount N+1.
 */
export const MAX_RATE_HITS = 19;
