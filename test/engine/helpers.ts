import type { EngineEvent } from '../../src/engine/index.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** h01, h02, ... as minimal hosts. */
export function names(n: number): { name: string }[] {
  return Array.from({ length: n }, (_, i) => ({ name: `h${String(i + 1).padStart(2, '0')}` }));
}

export function collect(): { events: EngineEvent[]; onEvent: (e: EngineEvent) => void } {
  const events: EngineEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}
