/**
 * At most `max` holders at once; the others wait in line, urgent ones first (apply's
 * confirmation connections go ahead of first connections to other hosts, so a watchdog never
 * fires because its confirmation queued behind a fleet's worth of handshakes).
 */
export class Limiter {
  private active = 0;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`limiter: max must be a whole number >= 1, not ${max}`);
  }

  async run<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
    await this.acquire(urgent);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Holders now, and waiters. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.urgent.length + this.normal.length };
  }

  private acquire(urgent: boolean): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => (urgent ? this.urgent : this.normal).push(resolve));
  }

  /** The slot passes straight to the next waiter, if any. */
  private release(): void {
    const next = this.urgent.shift() ?? this.normal.shift();
    if (next) next();
    else this.active--;
  }
}
