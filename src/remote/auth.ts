/**
 * Public-key authentication in OpenSSH's order (sshconnect2.c pubkey_prepare): the agent's keys
 * in agent order (with IdentitiesOnly, only those matching an IdentityFile), then the identity
 * files the agent does not hold, loaded (and decrypted) only when their turn comes.
 */
import type {
  AnyAuthMethod,
  AuthHandlerMiddleware,
  IdentityCallback,
  NextAuthHandler,
  ParsedKey,
} from 'ssh2';
import ssh2 from 'ssh2';
import { AuthError } from './errors.js';
import { displayType } from './host-key.js';
import type { KeyStore } from './keys.js';
import { fingerprint } from './known-hosts.js';

export interface AuthPlanInput {
  user: string;
  /** Host label for messages. */
  host: string;
  /** Expanded paths, in order. */
  identityFiles: string[];
  /** Files named explicitly (inventory or ssh_config): a missing one is worth a note. */
  explicitFiles: ReadonlySet<string>;
  identitiesOnly: boolean;
  keys: KeyStore;
}

export interface AuthPlan {
  handler: AuthHandlerMiddleware;
  /** The error to report when every method failed. */
  failure(): AuthError;
}

/** An agent view that offers only the chosen identities, in the chosen order. */
class ChosenAgent extends ssh2.OpenSSHAgent {
  constructor(
    socket: string,
    private readonly chosen: ParsedKey[],
  ) {
    super(socket);
  }
  override getIdentities(cb: IdentityCallback<ParsedKey>): void {
    cb(undefined, this.chosen);
  }
}

export async function planAuth(input: AuthPlanInput): Promise<AuthPlan> {
  const agentAll = await input.keys.agentIdentities();
  const pubs = await Promise.all(input.identityFiles.map((f) => input.keys.publicKey(f)));
  const inAgent = new Set<string>();
  const chosen = agentAll.filter((k) => {
    const i = pubs.findIndex((p) => p?.equals(k.getPublicSSH()));
    if (i >= 0) inAgent.add(input.identityFiles[i]!);
    return i >= 0 || !input.identitiesOnly;
  });
  const files = input.identityFiles.filter((f) => !inAgent.has(f));
  return makePlan(input, chosen, files);
}

function makePlan(input: AuthPlanInput, agentKeys: ParsedKey[], files: string[]): AuthPlan {
  const tried: string[] = [];
  const notes: string[] = [];
  const queue: Array<() => Promise<AnyAuthMethod | undefined>> = [];
  if (agentKeys.length > 0 && input.keys.agentSocket) {
    const agent = new ChosenAgent(input.keys.agentSocket, agentKeys);
    queue.push(async () => {
      tried.push(
        ...agentKeys.map((k) => `agent key ${displayType(k.type)} ${fingerprint(k.getPublicSSH())}`),
      );
      return { type: 'agent', username: input.user, agent };
    });
  }
  for (const f of files) queue.push(() => fileMethod(input, f, tried, notes));
  const handler: AuthHandlerMiddleware = (_left, _partial, next: NextAuthHandler) => {
    void nextMethod(queue).then((m) => next(m ?? (false as unknown as AnyAuthMethod)));
  };
  return { handler, failure: () => new AuthError(input.host, input.user, tried, notes) };
}

async function nextMethod(
  queue: Array<() => Promise<AnyAuthMethod | undefined>>,
): Promise<AnyAuthMethod | undefined> {
  for (let step = queue.shift(); step; step = queue.shift()) {
    const m = await step();
    if (m) return m;
  }
  return undefined;
}

async function fileMethod(input: AuthPlanInput, path: string, tried: string[], notes: string[]) {
  const loaded = await input.keys.privateKey(path);
  if (loaded.ok) {
    tried.push(`key ${path}`);
    return { type: 'publickey', username: input.user, key: loaded.key } as AnyAuthMethod;
  }
  if (loaded.reason !== 'missing' || input.explicitFiles.has(path))
    notes.push(`key ${path}: ${loaded.detail}`);
  return undefined;
}
