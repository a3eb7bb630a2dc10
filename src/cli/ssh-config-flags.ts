/**
 * ssh_config at the CLI's edge: `-F FILE` must exist (as with ssh, exit 2 otherwise); hosts the
 * inventory is silent about take User and Port from it (Ansible leaves them to ssh too); lines
 * fleet does not honour (`Match exec`, unknown Match criteria, bad lines) are warned about once
 * per process, with file:line, whether loading or connecting found them.
 */
import { statSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { ConnectionDefaults } from '../inventory/index.js';
import { resolveSshConfig, type SshConfigOptions } from '../remote/index.js';

/** The options for the SSH layer; InputError when -F names no regular file. */
export function sshConfigOptions(file: string | undefined): SshConfigOptions | undefined {
  if (file === undefined) return undefined;
  if (!isReadableConfig(file))
    throw new InputError(
      `-F ${JSON.stringify(file)}: no such ssh_config file`,
      'give -F an existing file (-F /dev/null reads none), or leave -F out to read ~/.ssh/config',
    );
  return { configFile: file };
}

function isReadableConfig(file: string): boolean {
  try {
    const st = statSync(file);
    return st.isFile() || st.isCharacterDevice();
  } catch {
    return false;
  }
}

/** User and Port that ssh_config gives an address (only those it names), memoized per address. */
export function sshConfigDefaults(opts: SshConfigOptions | undefined): ConnectionDefaults {
  const seen = new Map<string, { user?: string; port?: number }>();
  return (address) => {
    let out = seen.get(address);
    if (out) return out;
    const cfg = resolveSshConfig(address, opts);
    for (const w of cfg.warnings) warnSshConfig(w);
    const user = cfg.options.get('user')?.[0];
    const port = Number(cfg.options.get('port')?.[0]);
    out = { user, port: Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined };
    seen.set(address, out);
    return out;
  };
}

const warned = new Set<string>();

/** `fleet: warning: ssh_config FILE:LINE: ...`, once per distinct message in this process. */
export function warnSshConfig(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`fleet: warning: ssh_config ${message}\n`);
}
