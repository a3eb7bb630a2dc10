/** A host as the inventory resolves it: everything needed to reach it and to compile its rules. */
export interface Host {
  /** Inventory name; validated against NAME_PATTERN. */
  name: string;
  /** IP address or DNS name to connect to (may be rewritten by ~/.ssh/config HostName). */
  address: string;
  port: number;
  user: string;
  /** Path of a private key file, if the inventory names one. */
  identity?: string;
  /** Run remote scripts through `sudo -n` (for non-root users). */
  sudo: boolean;
  /** Every group the host belongs to, directly or through a group's children. */
  groups: string[];
  tags: string[];
  vars: Record<string, unknown>;
  /** The profile to compile for this host (from the host or its nearest group). */
  profile?: string;
  /** Another inventory host or ssh destination to jump through. */
  proxyJump?: string;
  /** Where the inventory declares this host (file:line:col), for messages. */
  declaredAt?: { file: string; line: number; col: number };
}

/** Names of hosts, groups, profiles, chains and sets: nothing a shell would read specially. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
