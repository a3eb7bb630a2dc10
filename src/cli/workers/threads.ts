/**
 * The main thread's side of `--workers N`: N worker threads, each with its own SSH pool, running
 * the hosts the engine launches (docs/scale.md). The engine (waves, canary, max-fail, Ctrl-C's
 * first press) stays in the main thread; a Dispatcher hands each launched host to the least-busy
 * worker; each worker sends the host's events and its result back, and a second Ctrl-C is
 * forwarded to every worker, which aborts its hosts in flight exactly as one thread does.
 */
import { Worker } from 'node:worker_threads';
import { Dispatcher, type HostEnv } from '../../engine/index.js';
import type { Host } from '../../model/host.js';
import type { HostResult } from '../../model/result.js';
import { type FromThread, fromWire, type ThreadData, type ToThread } from './wire.js';

/** The worker's entry: the built file beside this one (a run from the TypeScript sources has none). */
const ENTRY = new URL('./thread.js', import.meta.url);

/** True when worker threads can start (the built CLI, not the TypeScript sources under a test runner). */
export function threadsAvailable(): boolean {
  return ENTRY.pathname.endsWith('.js') && !import.meta.url.endsWith('.ts');
}

/** How long a worker may take to close its connections before it is terminated. */
const CLOSE_GRACE_MS = 5000;

export class WorkerThreads {
  private readonly dispatcher: Dispatcher<Thread>;
  private killHooked = false;

  private constructor(private readonly threads: Thread[]) {
    this.dispatcher = new Dispatcher(threads);
  }

  get count(): number {
    return this.threads.length;
  }

  /** Start `count` workers and wait until each has built its task and pool (or throw its error). */
  static async start(count: number, data: ThreadData): Promise<WorkerThreads> {
    const threads = Array.from({ length: count }, () => new Thread(new Worker(ENTRY, { workerData: data })));
    try {
      await Promise.all(threads.map((t) => t.ready));
    } catch (err) {
      await Promise.all(threads.map((t) => t.terminate()));
      throw err;
    }
    return new WorkerThreads(threads);
  }

  /** FleetOptions.runHost: the host on the least-busy worker. */
  readonly runHost = (host: Host, env: HostEnv): Promise<HostResult> => {
    if (env.killed && !this.killHooked) {
      this.killHooked = true;
      void env.killed.then(() => {
        for (const t of this.threads) t.send({ t: 'kill' });
      });
    }
    return this.dispatcher.run((thread) => thread.run(host, env));
  };

  /** Each worker closes its pool and ends; one that does not within the grace is terminated. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

interface InFlight {
  env: HostEnv;
  resolve: (result: HostResult) => void;
}

/** One worker thread: its messages routed to the hosts it runs. */
class Thread {
  readonly ready: Promise<void>;
  private readonly inFlight = new Map<string, InFlight>();
  private gone?: string;
  private readonly exited: Promise<void>;

  constructor(private readonly worker: Worker) {
    let ready!: () => void;
    let refuse!: (err: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      ready = resolve;
      refuse = reject;
    });
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: FromThread) => {
      if (m.t === 'ready') ready();
      else if (m.t === 'failed') refuse(fromWire(m.error));
      else if (m.t === 'event' && 'host' in m.event) this.inFlight.get(m.event.host)?.env.emit(m.event);
      else if (m.t === 'done') this.settle(m.host, m.result);
    });
    worker.on('error', (err) => {
      refuse(err);
      this.lost(err.message);
    });
    worker.once('exit', (code) => {
      refuse(new Error(`a worker thread ended (exit ${code}) before it was ready`));
      this.lost(`exit ${code}`);
    });
  }

  run(host: Host, env: HostEnv): Promise<HostResult> {
    if (this.gone) return Promise.resolve(this.failed(host.name, env));
    return new Promise((resolve) => {
      this.inFlight.set(host.name, { env, resolve });
      this.send({ t: 'run', host });
    });
  }

  send(message: ToThread): void {
    if (!this.gone) this.worker.postMessage(message);
  }

  async close(): Promise<void> {
    this.send({ t: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), CLOSE_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(host: string, result: HostResult): void {
    const entry = this.inFlight.get(host);
    this.inFlight.delete(host);
    entry?.resolve(result);
  }

  /** The worker died (a bug): its hosts in flight end `failed`, saying so; apply's watchdogs guard them. */
  private lost(why: string): void {
    this.gone ??= why;
    for (const [host, entry] of this.inFlight) {
      this.inFlight.delete(host);
      entry.resolve(this.failed(host, entry.env));
    }
  }

  private failed(host: string, env: HostEnv): HostResult {
    const result: HostResult = {
      host,
      status: 'failed',
      durationMs: 0,
      detail: `internal: its worker thread stopped (${this.gone}); if it was applying, its watchdog restores the old rules unless it confirmed`,
      steps: [],
    };
    env.emit({ kind: 'host-done', time: env.now().toISOString(), host, result });
    return result;
  }
}
