import type { StepTiming } from '../model/result.js';

/** Times a host's named steps: starting a step ends the one before. */
export class StepClock {
  private readonly done: StepTiming[] = [];
  private current?: { step: string; at: number };

  constructor(private readonly now: () => Date) {}

  start(step: string): void {
    this.end();
    this.current = { step, at: this.now().getTime() };
  }

  /** The step in progress, if any. */
  get step(): string | undefined {
    return this.current?.step;
  }

  end(): void {
    if (!this.current) return;
    this.done.push({ step: this.current.step, ms: this.now().getTime() - this.current.at });
    this.current = undefined;
  }

  timings(): StepTiming[] {
    return [...this.done];
  }
}
