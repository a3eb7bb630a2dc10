/**
 * How a worker thread builds a command's host task: the same spec builder the command's action
 * uses (so a host runs the same code in either thread), named by `HostCommandSpec.worker` and
 * loaded on demand (a worker loads only its command's modules). Commands absent here run in
 * the main thread whatever `--workers` says (docs/scale.md).
 */
import type { HostResult } from '../../model/result.js';
import type { PushInput } from '../../ops/ban/push.js';
import type { BanCliOptions } from '../commands/bans-shared.js';
import type { HostCommandSpec } from '../host-task.js';
import type { WorkerSpecRef } from './wire.js';

type Flags = Record<string, unknown>;
type Builder = (flags: Flags, args: unknown) => Promise<HostCommandSpec<never>>;

const BUILDERS: Record<string, Builder> = {
  facts: async () => (await import('../commands/facts.js')).factsSpec(),
  exec: async (_flags, args) => (await import('../commands/exec.js')).execSpec(args as string[]),
  plan: async (flags) => (await import('../commands/plan.js')).planSpec(flags),
  audit: async (flags) => (await import('../commands/audit.js')).auditSpec(flags),
  apply: async (flags, args) => {
    // The plans the prompt showed, as [host, result] pairs: only those are applied.
    const shown = (args as [string, HostResult][]).length
      ? new Map(args as [string, HostResult][])
      : undefined;
    return (await import('../commands/apply.js')).applySpec(flags, () => shown);
  },
  push: async (flags, args) => {
    const a = args as { command: string; input: Omit<PushInput, 'mode'> };
    return (await import('../commands/bans-shared.js')).pushSpec(a.command, a.input, flags as BanCliOptions);
  },
};

export async function buildSpec(ref: WorkerSpecRef, flags: Flags): Promise<HostCommandSpec<never>> {
  const build = BUILDERS[ref.name];
  if (!build) throw new Error(`no worker-thread task named "${ref.name}"`);
  return build(flags, ref.args);
}
