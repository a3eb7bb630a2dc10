import type { EngineEvent, TaskEvent } from './events.js';
import type { StepClock } from './step-clock.js';
import type { TaskContext } from './types.js';

export interface ContextParts {
  host: string;
  signal: AbortSignal;
  clock: StepClock;
  now: () => Date;
  emit: (event: EngineEvent) => void;
  /** False once the host's result is settled: later calls (a timed-out task still running) are dropped. */
  isOpen: () => boolean;
  /** What the task said about its timeout (holdTimeout, onTimeoutSay). */
  timeout: TimeoutTerms;
}

export interface TimeoutTerms {
  holdUntil: number;
  note?: string;
}

/** The ctx a task receives: steps are timed and every call becomes an event tagged with the host. */
export function makeTaskContext(p: ContextParts): TaskContext {
  const event = (e: TaskEvent): void => {
    if (!p.isOpen()) return;
    if (e.kind === 'step') p.clock.start(e.step);
    p.emit({ ...e, host: p.host, time: p.now().toISOString() });
  };
  return {
    signal: p.signal,
    event,
    step: (step) => event({ kind: 'step', step }),
    log: (message, level = 'info') => event({ kind: 'log', level, message }),
    wait: (reason) => event({ kind: 'wait', reason }),
    holdTimeout: (untilMs) => {
      p.timeout.holdUntil = untilMs;
    },
    onTimeoutSay: (text) => {
      p.timeout.note = text;
    },
  };
}
