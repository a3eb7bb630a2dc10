/** Decides when the engine stops launching hosts, and why. */
import { BAD_STATUSES, type HostResult } from '../model/result.js';
import type { StopCause } from './events.js';

export interface StopDecision {
  cause: StopCause;
  reason: string;
}

export class StopState {
  private failures = 0;
  private decision?: StopDecision;

  /** @param maxFail stop once this many hosts ended badly (undefined: never). */
  constructor(
    private readonly maxFail: number | undefined,
    private readonly maxFailLabel = '',
  ) {}

  get stop(): StopDecision | undefined {
    return this.decision;
  }

  /** Count a finished host; a bad canary stops at once, else the threshold decides. */
  record(result: HostResult, inCanary: boolean): void {
    if (!BAD_STATUSES.has(result.status)) return;
    this.failures += 1;
    if (inCanary) this.halt('canary', `canary host ${result.host} ended ${result.status}: ${result.detail}`);
    if (this.maxFail !== undefined && this.failures >= this.maxFail) {
      this.halt(
        'max-fail',
        `failure threshold reached: ${this.failures} hosts failed (--max-fail ${this.maxFailLabel})`,
      );
    }
  }

  /** The first reason wins; later ones do not replace it. */
  halt(cause: StopCause, reason: string): void {
    this.decision ??= { cause, reason };
  }
}
