import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/index.js';
import { formatJsonEvent, formatJsonReport } from '../../src/report/events-json.js';
import { formatPlainEvent } from '../../src/report/events-plain.js';

const T = '2026-11-22T01:02:03.456Z';
const result = { host: 'web-01', status: 'changed' as const, durationMs: 1234, detail: '+3 -1', steps: [] };

const EVENTS: [EngineEvent, string | null][] = [
  [
    { kind: 'run-start', time: T, total: 10, concurrency: 50 },
    '2026-11-22T01:02:03Z start 10 hosts, concurrency 50',
  ],
  [
    { kind: 'run-start', time: T, total: 1000, concurrency: 50, workers: 2 },
    '2026-11-22T01:02:03Z start 1000 hosts, concurrency 50, 2 worker threads',
  ],
  [
    { kind: 'wave-start', time: T, wave: 0, label: 'canary', name: 'canary', hosts: ['web-01'] },
    '2026-11-22T01:02:03Z canary 1 host',
  ],
  [
    { kind: 'wave-start', time: T, wave: 1, label: 'all', name: 'all', hosts: ['a', 'b'] },
    '2026-11-22T01:02:03Z launch 2 hosts',
  ],
  [{ kind: 'host-start', time: T, host: 'web-01' }, '2026-11-22T01:02:03Z web-01 start'],
  [{ kind: 'step', time: T, host: 'web-01', step: 'backup' }, '2026-11-22T01:02:03Z web-01 backup'],
  [
    { kind: 'log', time: T, host: 'web-01', level: 'warn', message: 'lock held\nby pid 7' },
    '2026-11-22T01:02:03Z web-01 warning: lock held | by pid 7',
  ],
  [{ kind: 'host-done', time: T, host: 'web-01', result }, '2026-11-22T01:02:03Z web-01 changed 1.2s +3 -1'],
  [
    {
      kind: 'host-done',
      time: T,
      host: 'web-09',
      result: { host: 'web-09', status: 'skipped', durationMs: 0, detail: 'not started: x', steps: [] },
    },
    '2026-11-22T01:02:03Z web-09 skipped not started: x',
  ],
  [
    { kind: 'run-stopped', time: T, cause: 'max-fail', reason: 'failure threshold reached' },
    '2026-11-22T01:02:03Z stopping: failure threshold reached; hosts in flight will finish',
  ],
  [{ kind: 'run-done', time: T, stopped: false }, null],
];

describe('plain lines', () => {
  it.each(EVENTS)('%j', (event, line) => {
    expect(formatPlainEvent(event)).toBe(line);
  });
});

describe('JSON lines', () => {
  it('each event is one line that parses back to the event', () => {
    for (const [event] of EVENTS) {
      const line = formatJsonEvent(event);
      expect(line).not.toContain('\n');
      expect(JSON.parse(line)).toEqual(event);
    }
  });

  it('the report line is kind "report"', () => {
    const report = {
      schemaVersion: 1 as const,
      command: 'plan',
      selector: 'all',
      startedAt: T,
      finishedAt: T,
      stopped: false,
      hosts: [result],
    };
    expect(JSON.parse(formatJsonReport(report))).toEqual({ kind: 'report', report });
  });
});
