/**
 * The fan-out engine: run one task per host with bounded concurrency, canary first, then in
 * batches, stopping the launch of new hosts on a bad canary, on the failure threshold or on the
 * user's signal. Pure orchestration: no SSH, no printing. See docs/engine.md.
 */
import pLimit from 'p-limit';
import type { HostResult } from '../model/result.js';
import { formatAmount, resolveAmount } from './amount.js';
import type { EngineEvent } from './events.js';
import { runOneHost } from './host-run.js';
import { StopState } from './stop-state.js';
import type { FleetOptions, FleetRun, HostTask, Named } from './types.js';
import { planWaves, type Wave, waveName } from './waves.js';

/** Hosts in flight at once when --concurrency is not given (why 50: docs/engine.md). */
export const DEFAULT_CONCURRENCY = 50;

export async function runFleet<H extends Named>(
  hosts: H[],
  task: HostTask<H>,
  opts: FleetOptions<H> = {},
): Promise<FleetRun> {
  const run = new FleetRunState(hosts, task, opts);
  return run.execute();
}

class FleetRunState<H extends Named> {
  private readonly results: HostResult[] = [];
  private readonly stops: StopState;
  private readonly now: () => Date;
  private readonly concurrency: number;
  private skippedByStop = 0;
  private readonly killed?: Promise<void>;

  constructor(
    private readonly hosts: H[],
    private readonly task: HostTask<H>,
    private readonly opts: FleetOptions<H>,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
    const maxFail = opts.maxFail ? resolveAmount(opts.maxFail, hosts.length) : undefined;
    this.stops = new StopState(maxFail, opts.maxFail ? formatAmount(opts.maxFail) : '');
    this.killed = opts.killSignal && aborted(opts.killSignal);
  }

  async execute(): Promise<FleetRun> {
    const startedAt = this.time();
    this.emit({
      kind: 'run-start',
      time: startedAt,
      total: this.hosts.length,
      concurrency: this.concurrency,
      ...(this.opts.workers && this.opts.workers > 1 && { workers: this.opts.workers }),
    });
    const batch = this.opts.batch ? resolveAmount(this.opts.batch, this.hosts.length) : undefined;
    const waves = planWaves(this.hosts.length, this.opts.canary ?? 0, batch);
    for (const [n, wave] of waves.entries()) await this.runWave(wave, n, waveName(waves, n));
    const stop = this.skippedByStop > 0 ? this.stops.stop : undefined;
    this.emit({ kind: 'run-done', time: this.time(), stopped: stop !== undefined });
    return {
      results: this.results,
      stopped: stop !== undefined,
      ...(stop && { stopCause: stop.cause, stopReason: stop.reason }),
      startedAt,
      finishedAt: this.time(),
    };
  }

  private async runWave(wave: Wave, n: number, name: string): Promise<void> {
    if (!this.shouldStop()) {
      const hosts = wave.indexes.map((i) => this.hosts[i]!.name);
      this.emit({ kind: 'wave-start', time: this.time(), wave: n, label: wave.label, name, hosts });
    }
    const limit = pLimit(this.concurrency);
    await Promise.all(wave.indexes.map((i) => limit(() => this.launch(i, wave.label === 'canary'))));
  }

  /** Called when a concurrency slot frees up: run the host, or skip it if the run is stopping. */
  private async launch(index: number, inCanary: boolean): Promise<void> {
    const host = this.hosts[index]!;
    if (this.shouldStop()) return this.skip(index, host.name);
    const env = { timeoutMs: this.opts.timeoutMs, killed: this.killed, emit: this.emit, now: this.now };
    const result = this.opts.runHost
      ? await this.opts.runHost(host, env)
      : await runOneHost(host, this.task, env);
    this.results[index] = result;
    this.stops.record(result, inCanary);
  }

  private shouldStop(): boolean {
    if (this.opts.signal?.aborted || this.opts.killSignal?.aborted) {
      this.stops.halt('interrupted', 'interrupted by the user');
    }
    return this.stops.stop !== undefined;
  }

  private skip(index: number, host: string): void {
    const stop = this.stops.stop!;
    if (this.skippedByStop++ === 0) this.emit({ kind: 'run-stopped', time: this.time(), ...stop });
    const result: HostResult = {
      host,
      status: 'skipped',
      durationMs: 0,
      detail: `not started: ${stop.reason}`,
      steps: [],
    };
    this.results[index] = result;
    this.emit({ kind: 'host-done', time: this.time(), host, result });
  }

  private readonly emit = (event: EngineEvent): void => {
    try {
      this.opts.onEvent?.(event);
    } catch {
      // A listener's bug must not cost any host its result; renderers are tested on their own.
    }
  };

  private time(): string {
    return this.now().toISOString();
  }
}

/** A promise that settles when the signal aborts (or at once if it already has). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
