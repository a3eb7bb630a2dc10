/**
 * A worker thread of `--workers N` (src/cli/workers/threads.ts starts it): builds the command's
 * host task (specs.ts) and its own SSH pool once, then runs each host the main thread sends,
 * exactly as the main thread would (runOneHost: timeout, steps, events, result), sending the
 * host's events and result back. `kill` is the second Ctrl-C: hosts in flight are aborted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type HostEnv, runOneHost } from '../../engine/index.js';
import { openPool } from '../fleet-context.js';
import { type HostJob, sessionTask } from '../host-task.js';
import { buildSpec } from './specs.js';
import { type FromThread, type ThreadData, type ToThread, toWire } from './wire.js';

const port = parentPort!;
const data = workerData as ThreadData;

/** Structured clone, or (a result holding something it cannot clone) its JSON form. */
function post(message: FromThread): void {
  try {
    port.postMessage(message);
  } catch {
    port.postMessage(JSON.parse(JSON.stringify(message)));
  }
}

async function serve(): Promise<void> {
  const spec = await buildSpec(data.spec, data.flags);
  const pool = openPool(data.inventory, data.flags as HostJob<never>['flags'], {
    maxHandshakes: data.maxHandshakes,
  });
  const task = sessionTask({ fleet: data.inventory, pool, flags: data.flags } as HostJob<never>, spec.task);
  let kill!: () => void;
  const env: HostEnv = {
    timeoutMs: data.timeoutMs,
    killed: new Promise<void>((resolve) => {
      kill = resolve;
    }),
    emit: (event) => post({ t: 'event', event }),
    now: () => new Date(),
  };
  port.on('message', (m: ToThread) => {
    if (m.t === 'run') {
      void runOneHost(m.host, task, env).then((result) => post({ t: 'done', host: m.host.name, result }));
    } else if (m.t === 'kill') kill();
    else if (m.t === 'close') void pool.closeAll().finally(() => port.close());
  });
  post({ t: 'ready' });
}

serve().catch((err: unknown) => {
  post({ t: 'failed', error: toWire(err) });
  port.close();
});
