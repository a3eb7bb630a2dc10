/** The SSH layer's public surface: import from here, not from the modules inside. */
export { type ConnectOptions, connect } from './connect.js';
export * from './errors.js';
export { KeyStore, type KeyStoreOptions, type PassphraseSource } from './keys.js';
export { fingerprint, KnownHosts, knownHostsName } from './known-hosts.js';
export { DEFAULT_MAX_HANDSHAKES, type PoolOptions, SshPool } from './pool.js';
export { buildCommand, quote } from './quote.js';
export { resolveSshConfig, type SshConfigOptions, type SshConfigResult } from './ssh-config.js';
export { type HostSpec, type ResolvedTarget, resolveTarget } from './target.js';
export type { ExecOptions, ExecResult, RemoteSession } from './types.js';
