/** One-off connection: a private pool whose jump connections close with the session. */
import { type PoolOptions, SshPool } from './pool.js';
import type { HostSpec } from './target.js';
import type { RemoteSession } from './types.js';

export type ConnectOptions = PoolOptions;

export async function connect(host: HostSpec, opts: ConnectOptions = {}): Promise<RemoteSession> {
  const pool = new SshPool(opts);
  let session: RemoteSession;
  try {
    session = await pool.openFresh(host);
  } catch (err) {
    await pool.closeAll();
    throw err;
  }
  return {
    hostName: session.hostName,
    run: (script, o) => session.run(script, o),
    close: () => pool.closeAll(),
  };
}
