/**
 * One plain line per engine event, for logs (CI, cron): `2026-11-22T01:02:03Z web-01 backup`.
 * The formatter table is keyed by every event kind, so a new kind without a line does not compile.
 */
import type { EngineEvent, EventKind, EventOf } from '../engine/events.js';
import { formatDuration, oneLine } from './summary-format.js';
import { terminalText } from './terminal-text.js';

type PlainFormatters = { [K in EventKind]: (event: EventOf<K>) => string | null };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const FORMATTERS: PlainFormatters = {
  'run-start': (e) =>
    `start ${plural(e.total, 'host')}, concurrency ${e.concurrency}${e.workers ? `, ${e.workers} worker threads` : ''}`,
  'wave-start': (e) => `${e.label === 'all' ? 'launch' : e.name} ${plural(e.hosts.length, 'host')}`,
  'host-start': (e) => `${e.host} start`,
  step: (e) => `${e.host} ${e.step}`,
  log: (e) => `${e.host} ${e.level === 'warn' ? 'warning: ' : ''}${oneLine(e.message)}`,
  wait: (e) => `${e.host} ${e.reason === null ? 'wait over' : `waiting for ${oneLine(e.reason)}`}`,
  'host-done': (e) => hostDone(e),
  'run-stopped': (e) => `stopping: ${e.reason}; hosts in flight will finish`,
  'run-done': () => null,
};

function hostDone(e: EventOf<'host-done'>): string {
  const r = e.result;
  const took = r.status === 'skipped' && r.durationMs === 0 ? '' : ` ${formatDuration(r.durationMs)}`;
  const detail = oneLine(r.detail);
  return `${e.host} ${r.status}${took}${detail ? ` ${detail}` : ''}`;
}

/** `2026-11-22T01:02:03.456Z` → `2026-11-22T01:02:03Z` */
export function lineStamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

/** The line for an event, or null when the event has none in plain mode. */
export function formatPlainEvent(event: EngineEvent): string | null {
  const format = FORMATTERS[event.kind] as (e: EngineEvent) => string | null;
  const text = format(event);
  return text === null ? null : `${lineStamp(event.time)} ${terminalText(text)}`;
}
