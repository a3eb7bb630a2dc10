/** Fleet's names in the kernel: its chains, its recent list, its ban sets, its comments. */

export const FLEET_CHAIN_PREFIX = 'FLEET-';

export const CHAINS = {
  bans: 'FLEET-BANS',
  input: 'FLEET-INPUT',
  ssh: 'FLEET-SSH',
  log: 'FLEET-LOG',
  output: 'FLEET-OUTPUT',
} as const;

export const RECENT_NAME = 'fleet-ssh';

export const BAN_SETS = { 4: 'fleet-bans4', 6: 'fleet-bans6' } as const;

/** Comments name a rule's origin: `fleet:<profile>:<entry>` (bans: `fleet:bans:<cidr>`). */
export const COMMENT_PREFIX = 'fleet:';

export function originComment(origin: string, entry: string): string {
  return `${COMMENT_PREFIX}${origin}:${entry}`;
}

export function isFleetComment(comment: string | undefined): boolean {
  return comment?.startsWith(COMMENT_PREFIX) ?? false;
}
