import { describe, expect, it } from 'vitest';
import { InflightBoard } from '../../src/cli/output/inflight-board.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { MARK, waitWatcher } from '../../src/ops/sections.js';
import { formatPlainEvent } from '../../src/report/events-plain.js';

const time = '2026-12-06T12:00:00.000Z';
const wait = (reason: string | null): EngineEvent => ({ kind: 'wait', time, host: 'web-01', reason });

describe('wait events', () => {
  it('plain lines say what the host waits for, and when the wait is over', () => {
    expect(formatPlainEvent(wait("apt's lock (held by pid 12 apt-get)"))).toBe(
      "2026-12-06T12:00:00Z web-01 waiting for apt's lock (held by pid 12 apt-get)",
    );
    expect(formatPlainEvent(wait(null))).toBe('2026-12-06T12:00:00Z web-01 wait over');
  });

  it("the terminal's board shows the wait beside the step until the wait ends or the step changes", () => {
    const board = new InflightBoard();
    board.apply({ kind: 'host-start', time, host: 'web-01' });
    board.apply({ kind: 'step', time, host: 'web-01', step: 'lock' });
    board.apply(wait("fleet's lock held by alice@ws pid 7 since 12:01"));
    expect(board.lines(5, 120)).toEqual([
      "web-01  lock: waiting for fleet's lock held by alice@ws pid 7 since 12:01",
    ]);
    board.apply(wait(null));
    expect(board.lines(5, 120)).toEqual(['web-01  lock']);
    board.apply(wait('x'));
    board.apply({ kind: 'step', time, host: 'web-01', step: 'facts' });
    expect(board.lines(5, 120)).toEqual(['web-01  facts']);
  });

  it('waitWatcher reads waiting/waited sections from a stream cut anywhere', () => {
    const seen: (string | null)[] = [];
    const feed = waitWatcher((w) => seen.push(w));
    const out = `\n${MARK}update.rc\n0\n\n${MARK}waiting\napt's lock (held by pid 9 apt)\n\n${MARK}waited\n`;
    for (const ch of out) feed(ch);
    expect(seen).toEqual(["apt's lock (held by pid 9 apt)", null]);
  });
});
