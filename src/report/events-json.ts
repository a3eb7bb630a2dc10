/** JSON lines: one engine event per line, then one `{"kind":"report",...}` line with the RunReport. */
import type { EngineEvent } from '../engine/events.js';
import type { RunReport } from '../model/result.js';

export function formatJsonEvent(event: EngineEvent): string {
  return JSON.stringify(event);
}

export function formatJsonReport(report: RunReport): string {
  return JSON.stringify({ kind: 'report', report });
}
