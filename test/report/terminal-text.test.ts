import { describe, expect, it } from 'vitest';
import { formatPlainEvent } from '../../src/report/events-plain.js';
import { renderSummaryTable } from '../../src/report/summary-table.js';
import { terminalText } from '../../src/report/terminal-text.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** Anything a terminal would act on: C0 but tab and line feed, DEL, C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminalText', () => {
  it('drops OSC (title, clipboard) with its payload, CSI and two-byte ESC sequences', () => {
    expect(terminalText(`debian${ESC}]0;pwned${BEL}${ESC}[2J`)).toBe('debian');
    expect(terminalText(`a${ESC}]52;c;ZXZpbA==${ESC}\\b`)).toBe('ab');
    expect(terminalText(`${ESC}[1;31mred${ESC}[0m ${ESC}(B${ESC}cx`)).toBe('red x');
  });

  it('drops the 8-bit forms too (C1 CSI, OSC, ST) and lone controls', () => {
    expect(terminalText('a\u009b2Jb\u009d0;t\u009cc\u0008\u007f\u0000d')).toBe('abcd');
    expect(terminalText(`an unterminated ${ESC}]0;title`)).toBe('an unterminated ');
  });

  it('keeps line feeds and tabs only when asked; CR LF is a line feed', () => {
    expect(terminalText('a\r\nb\tc\rd', { lines: true })).toBe('a\nb\tcd');
    expect(terminalText('a\nb\tc')).toBe('a b c');
  });

  it('leaves ordinary text, including non-ASCII, alone', () => {
    const text = 'web-01 → Ünïcödé 日本 ok… [1/3]';
    expect(terminalText(text)).toBe(text);
  });

  it('is what the summary table and the plain progress lines use', () => {
    const evil = `debian${ESC}]0;x${BEL}${ESC}[2J\u009b31m 12`;
    const table = renderSummaryTable([
      { host: `h${ESC}[2J`, status: 'ok', durationMs: 5, detail: evil, steps: [] },
    ]);
    expect(table).not.toMatch(CONTROL);
    expect(table).toContain('debian 12');
    const line = formatPlainEvent({
      kind: 'log',
      time: '2026-01-01T00:00:00.000Z',
      host: 'h',
      level: 'warn',
      message: evil,
    });
    expect(line).not.toMatch(CONTROL);
  });
});

describe('terminalText on an echoed argument', () => {
  it('removes the sequence but keeps the quoting around it readable', () => {
    expect(terminalText(`"web${ESC}" matches no host`)).toBe('"web" matches no host');
    expect(terminalText(`"web${ESC}]0;x${BEL}${ESC}[2J" picks`)).toBe('"web" picks');
  });
});
