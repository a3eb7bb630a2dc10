import { describe, expect, it } from 'vitest';
import { esc, renderHtml } from '../../src/report/render-html.js';
import { FIXTURE_NAMES, fixture } from '../fixtures/reports/fixtures.js';

/** Start tags in the document, by name. */
function tags(html: string, name: string): string[] {
  return html.match(new RegExp(`<${name}\\b[^>]*>`, 'gi')) ?? [];
}

describe('renderHtml', () => {
  it.each(FIXTURE_NAMES)('%s: is one self-contained page (no script, nothing to fetch)', (name) => {
    const html = renderHtml(fixture(name));
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(tags(html, 'script')).toEqual([]);
    expect(tags(html, 'link')).toEqual([]);
    expect(tags(html, 'img')).toEqual([]);
    const markup = (html.match(/<[a-zA-Z][^>]*>/g) ?? []).join('\n');
    expect(markup).not.toMatch(/\b(src|srcset|action|formaction)=|href="(?!#)/i);
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    expect(style).not.toMatch(/url\(|@import|https?:/i);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
    expect(tags(html, 'style')).toHaveLength(1);
  });

  it('has summary cards, a row per host with its status colour, and details for hosts with findings', () => {
    const html = renderHtml(fixture('audit-mixed'));
    expect(html).toContain('<title>fleet audit all: CRITICAL</title>');
    expect(html).toContain('<div class="card h-critical"><b>2</b><span>critical</span></div>');
    expect(html).toContain('<div class="card h-ok"><b>6</b><span>ok</span></div>');
    const rows = tags(html, 'tr').filter((t) => /class="h-/.test(t));
    expect(rows).toHaveLength(10);
    expect(html).toMatch(
      /<tr class="h-critical"><td data-label="Host" class="nw"><a href="#host-0">lb-01<\/a><\/td><td data-label="Status"><span class="badge s-unreachable">unreachable/,
    );
    const details = tags(html, 'details');
    // lb-01 unreachable, web-03 critical, db-02 and web-05 warning, web-01 an info finding.
    expect(details).toHaveLength(5);
    expect(details.filter((d) => / open>$/.test(d))).toHaveLength(2);
    expect(html).toContain('<span class="d-add">+:INPUT DROP [0:0]</span>');
    expect(html).toContain('<span class="d-del">-:INPUT ACCEPT [0:0]</span>');
  });

  it('escapes every hostile value', () => {
    const html = renderHtml(fixture('hostile'));
    expect(tags(html, 'script')).toEqual([]);
    expect(tags(html, 'img')).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(&quot;host&quot;)&lt;/script&gt;');
    expect(html).toContain('<code>x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</code>');
    expect(html).toContain('&lt;/details&gt;&lt;/td&gt;&lt;script&gt;');
    expect(html).toContain(
      '<span class="d-del">-&lt;/pre&gt;&lt;script&gt;alert(&quot;diff&quot;)&lt;/script&gt;</span>',
    );
    expect(html).toContain('<code>web-*|&quot;x&quot;</code>');
    // The page's own structure is intact: exactly one table, one details per host.
    expect(tags(html, 'table')).toHaveLength(1);
    expect(html.match(/<\/details>/g)).toHaveLength(2);
  });

  it('esc() escapes the five characters that matter in content and quoted attributes', () => {
    expect(esc(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('shows why a stopped run stopped', () => {
    const html = renderHtml(fixture('apply-stopped'));
    expect(html).toContain(
      '<p class="stopped"><b>Stopped early:</b> max-fail reached: 2 hosts ended badly (limit 2)</p>',
    );
  });
});
