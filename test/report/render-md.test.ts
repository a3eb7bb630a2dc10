import { describe, expect, it } from 'vitest';
import { fenced, md, renderMarkdown } from '../../src/report/render-md.js';
import { FIXTURE_NAMES, fixture } from '../fixtures/reports/fixtures.js';

/** Table rows of the hosts table: lines starting with `| ` after the header separator. */
function tableRows(text: string): string[] {
  const lines = text.split('\n');
  const sep = lines.indexOf('| --- | --- | --- | --- | --- | --- |');
  const rows: string[] = [];
  for (let i = sep + 1; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!);
  return rows;
}

/** Cell separators: pipes not preceded by a backslash. */
const unescapedPipes = (row: string) => row.match(/(?<!\\)\|/g)?.length ?? 0;

/** The text outside fenced code blocks and inline code spans (where `<` is literal text). */
function outsideCode(text: string): string {
  return text
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '')
    .replace(/(?<![`\\])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

describe('renderMarkdown', () => {
  it('has a heading with the health, a summary and one table row per host, worst first', () => {
    const text = renderMarkdown(fixture('audit-mixed'));
    expect(text.split('\n')[0]).toBe('# fleet audit all: CRITICAL');
    expect(text).toContain('- **Hosts:** 10 (2 critical · 0 unknown · 2 warning · 6 ok)');
    expect(text).toContain('- **Findings:** 1 critical, 3 warning, 1 info');
    const rows = tableRows(text);
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => r.split(' | ')[0]!.slice(2))).toEqual([
      'lb-01',
      'web-03',
      'db-02',
      'web-05',
      'db-01',
      'db-03',
      'web-01',
      'web-02',
      'web-04',
      'web-06',
    ]);
  });

  it('gives each host with findings or a diff a section, the diff fenced', () => {
    const text = renderMarkdown(fixture('audit-mixed'));
    expect(text).toContain('## web-03: ok (CRITICAL)');
    expect(text).toContain('- **critical** `policy-input-drop`: INPUT policy is ACCEPT (expected DROP)');
    expect(text).toMatch(
      /\n```diff\n--- live web-03 \(iptables-save\)\n[^`]*\n\+:INPUT DROP \[0:0\]\n[^`]*\n```\n/,
    );
    expect(text).not.toContain('## web-02');
  });

  it('escapes hostile values: no raw HTML and no extra table cells outside code blocks', () => {
    const text = renderMarkdown(fixture('hostile'));
    const prose = outsideCode(text);
    expect(prose).not.toMatch(/(?<!\\)<(script|img|\/details|\/td)/);
    for (const row of tableRows(text)) expect(unescapedPipes(row)).toBe(7);
    expect(prose).toContain('\\<script\\>alert("host")\\</script\\>');
    expect(prose).toContain('\\[link\\](javascript:alert(1))');
  });

  it('fences a diff longer than any backtick run inside it', () => {
    const text = renderMarkdown(fixture('hostile'));
    expect(text).toContain('`````diff\n--- a\n');
    expect(fenced('a ```` b', 'x')).toBe('`````x\na ```` b\n`````');
  });

  it('escapes what could start a block or inline markup', () => {
    expect(md('# not a heading')).toBe('\\# not a heading');
    expect(md('1. not a list')).toBe('1\\. not a list');
    expect(md('10.0 s')).toBe('10.0 s');
    expect(md('a *b* _c_ `d` <e> & | ~')).toBe('a \\*b\\* \\_c\\_ \\`d\\` \\<e\\> \\& \\| \\~');
    expect(md('two\nlines')).toBe('two lines');
  });

  it.each(FIXTURE_NAMES)('%s: renders the same text twice (deterministic)', (name) => {
    expect(renderMarkdown(fixture(name))).toBe(renderMarkdown(fixture(name)));
  });
});
