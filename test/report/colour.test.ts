import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../src/model/result.js';
import { ansiColour, colourDiff, noColour, wantsColour } from '../../src/report/colour.js';
import { renderSummaryTable } from '../../src/report/summary-table.js';

const r = (host: string, status: HostResult['status']): HostResult => ({
  host,
  status,
  durationMs: 5,
  detail: 'd',
  steps: [],
});
const RED = '\u001b[31m';
const RESET = '\u001b[0m';

describe('colour', () => {
  it('a failed or rolled-back row is red from end to end; a good status cell is coloured alone', () => {
    const lines = renderSummaryTable([r('web-01', 'changed'), r('web-02', 'rolled-back')], {
      paint: ansiColour,
    }).split('\n');
    expect(lines[1]).toBe(`web-01  \u001b[33mchanged    ${RESET}  5ms       d`);
    expect(lines[2]).toBe(`${RED}web-02  rolled-back  5ms       d${RESET}`);
    const plain = renderSummaryTable([r('web-02', 'rolled-back')], { paint: noColour });
    expect(plain).not.toContain('\u001b');
  });

  it('diffs: + green, - red, hunk heads cyan, file heads plain', () => {
    const text = colourDiff(
      '--- current\n+++ desired\n@@ filter INPUT @@\n-:INPUT ACCEPT\n+:INPUT DROP\n same',
      ansiColour,
    );
    expect(text.split('\n')).toEqual([
      '--- current',
      '+++ desired',
      `\u001b[36m@@ filter INPUT @@${RESET}`,
      `${RED}-:INPUT ACCEPT${RESET}`,
      `\u001b[32m+:INPUT DROP${RESET}`,
      ' same',
    ]);
  });

  it('only on a terminal, and never with NO_COLOR (which --no-color sets) or TERM=dumb', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '' })).toBe(false);
    expect(wantsColour({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});
