/** A merged profile with defaults filled in: the `Profile` the compiler reads. */
import type { Profile } from '../model/profile.js';
import type { ProfileLayer } from './layer.js';
import type { Merged } from './merge.js';

export const DEFAULTS = {
  policies: { input: 'DROP', forward: 'DROP', output: 'ACCEPT' },
  sshPort: 22,
  logPrefix: 'fleet-drop: ',
  logLimit: '5/min',
} as const;

export function finalize(layer: ProfileLayer, m: Merged, lineage: string[]): Profile {
  return {
    name: layer.name,
    lineage,
    file: layer.file,
    description: layer.description,
    policies: { ...DEFAULTS.policies, ...m.policies },
    ssh: {
      port: m.ssh.port ?? DEFAULTS.sshPort,
      sources: m.ssh.sources ?? [],
      ...(m.ssh.rateLimit ? { rateLimit: m.ssh.rateLimit } : {}),
    },
    services: [...m.services.values()].flatMap((s) => s ?? []),
    icmp: { ping: m.icmp.ping ?? true, ...(m.icmp.rate ? { rate: m.icmp.rate } : {}) },
    ...(m.log ? { log: finalizeLog(m.log) } : {}),
    preserve: m.preserve,
    takeover: m.takeover,
    raw: m.raw,
  };
}

function finalizeLog(log: NonNullable<Merged['log']>): NonNullable<Profile['log']> {
  return {
    prefix: log.prefix ?? DEFAULTS.logPrefix,
    limit: log.limit ?? DEFAULTS.logLimit,
    ...(log.burst !== undefined ? { burst: log.burst } : {}),
  };
}
