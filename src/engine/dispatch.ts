/**
 * Spreading hosts over worker threads (`--workers N`, docs/scale.md): how many workers a run
 * gets, and which worker takes the next host. Pure: the engine keeps the fleet-wide limit
 * (`--concurrency`), the waves and the stop decisions; a dispatcher only picks a worker for each
 * host the engine launches, the one with the fewest hosts in flight (so each worker has a free
 * slot whenever the engine has one: concurrency stays a fleet-wide limit, not a per-worker one).
 */

/**
 * Below this many hosts per worker a thread's start-up (~0.6-0.8 s of CPU, its own copy of the
 * modules) costs more than it saves: at 100 lab hosts, 2 workers used 1.0-1.4 s more CPU than
 * the main thread alone for facts, ban and audit, for no shorter wall (docs/scale.md).
 */
export const HOSTS_PER_WORKER = 200;

export interface WorkerCountInput {
  /** `--workers N`, or undefined for `auto`. */
  asked?: number;
  /** Hosts this run launches. */
  hosts: number;
  /** `--concurrency`: more workers than hosts in flight would sit idle. */
  concurrency: number;
  /** os.availableParallelism(). */
  cores: number;
}

/**
 * `--workers N` as asked (never more than the hosts or the concurrency); `auto`: one per core,
 * but only as many as give each worker HOSTS_PER_WORKER hosts (1 below 400 hosts: in-process).
 */
export function workerCount(i: WorkerCountInput): number {
  const wanted = i.asked ?? Math.min(i.cores, Math.floor(i.hosts / HOSTS_PER_WORKER));
  return Math.max(1, Math.min(wanted, i.hosts, i.concurrency));
}

/** Each worker's part of a fleet-wide limit (the pool's handshake line): at least 1. */
export function shareOf(total: number, workers: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, workers)));
}

/** The first worker with the fewest jobs in flight. */
export function leastLoaded(load: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < load.length; i++) if (load[i]! < load[best]!) best = i;
  return best;
}

/** Runs each job on the least-busy worker; a worker's slot frees when its job settles. */
export class Dispatcher<W> {
  private readonly load: number[];

  constructor(private readonly workers: readonly W[]) {
    if (workers.length === 0) throw new Error('a dispatcher needs at least one worker');
    this.load = workers.map(() => 0);
  }

  async run<R>(job: (worker: W, n: number) => Promise<R>): Promise<R> {
    const n = leastLoaded(this.load);
    this.load[n]! += 1;
    try {
      return await job(this.workers[n]!, n);
    } finally {
      this.load[n]! -= 1;
    }
  }

  /** Jobs in flight per worker (for tests and progress). */
  inFlight(): readonly number[] {
    return [...this.load];
  }
}
