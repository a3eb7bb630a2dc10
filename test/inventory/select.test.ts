import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { expandRange } from '../../src/inventory/ansible/ranges.js';
import { loadInventory, select, selectHosts, selectHostsOrFail } from '../../src/inventory/index.js';
import {
  applySubscript,
  globToRegex,
  orderPatterns,
  splitPatterns,
  splitSubscript,
} from '../../src/inventory/pattern.js';
import { writeRepo } from './support.js';

describe('pattern parsing (Ansible rules)', () => {
  it('splits on commas, else on colons, keeping brackets and host:port whole', () => {
    expect(splitPatterns('a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(splitPatterns('prod:&eu:!web-03')).toEqual(['prod', '&eu', '!web-03']);
    expect(splitPatterns('web[1:3]:db')).toEqual(['web[1:3]', 'db']);
    expect(splitPatterns('a,b:&c')).toEqual(['a', 'b:&c']);
    expect(splitPatterns('2001:db8::1')).toEqual(['2001:db8::1']);
    expect(splitPatterns('web-01:22')).toEqual(['web-01:22']);
  });

  it('orders unions, then intersections, then exclusions; all when only & and !', () => {
    expect(orderPatterns(['!x', '&y', 'a', 'b'])).toEqual(['a', 'b', '&y', '!x']);
    expect(orderPatterns(['!x'])).toEqual(['all', '!x']);
  });

  it('subscripts with Python slice semantics (and Ansible quirks)', () => {
    const xs = ['a', 'b', 'c', 'd'];
    expect(applySubscript(xs, splitSubscript('g[1:2]').sub)).toEqual(['b', 'c']);
    expect(applySubscript(xs, splitSubscript('g[2:]').sub)).toEqual(['c', 'd']);
    expect(applySubscript(xs, splitSubscript('g[-1]').sub)).toEqual(['d']);
    expect(applySubscript(xs, splitSubscript('g[3:0]').sub)).toEqual(['d']);
    expect(applySubscript(xs, splitSubscript('g[9]').sub)).toBeUndefined();
    expect(splitSubscript('~g[1]')).toEqual({ expr: '~g[1]' });
  });

  it('translates globs like fnmatch', () => {
    expect(new RegExp(`^${globToRegex('web-[!3]?.*')}$`).test('web-12.eu')).toBe(true);
    expect(new RegExp(`^${globToRegex('web-[!1]*')}$`).test('web-1')).toBe(false);
  });

  it('expands host ranges like Ansible', () => {
    expect(expandRange('web[01:03].x')).toEqual(['web01.x', 'web02.x', 'web03.x']);
    expect(expandRange('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandRange('n[0:6:3]')).toEqual(['n0', 'n3', 'n6']);
    expect(expandRange('r[1:2]-[a:b]')).toEqual(['r1-a', 'r1-b', 'r2-a', 'r2-b']);
    expect(expandRange('w[01:3]')).toMatch(/same number of digits/);
  });
});

describe('selectHosts on a native inventory', () => {
  const dir = writeRepo({
    'inventory/a.yaml': `groups:
  web: {}
  db: {}
  eu: {}
  prod: { children: [eu] }
hosts:
  web-01: { groups: [web, eu] }
  web-02: { groups: [web] }
  db-01: { groups: [db, eu] }
  spare: {}
`,
  });
  const inv = loadInventory(dir);
  const names = (s: string, l?: string) => selectHosts(inv, s, l).map((h) => h.name);

  it('all, groups through children, globs, regex, exclusion, intersection, --limit', () => {
    expect(names('all')).toEqual(['spare', 'web-01', 'web-02', 'db-01']);
    expect(names('prod')).toEqual(['web-01', 'db-01']);
    expect(names('web-*,!web-02')).toEqual(['web-01']);
    expect(names('~^db')).toEqual(['db-01']);
    expect(names('web:&prod')).toEqual(['web-01']);
    expect(names('ungrouped')).toEqual(['spare']);
    expect(names('all', 'db,spare')).toEqual(['spare', 'db-01']);
  });

  it('reports patterns that matched nothing, and fails with a hint when nothing is picked', () => {
    expect(select(inv, 'web,wbe').unmatched).toEqual(['wbe']);
    expect(() => selectHostsOrFail(inv, 'wbe')).toThrow(InputError);
    expect(() => selectHostsOrFail(inv, 'wbe')).toThrow(
      'selector "wbe" picks no host: "wbe" matches no group or host (did you mean "web"?)',
    );
    expect(() => selectHosts(inv, '~web(')).toThrow(/invalid host pattern "~web\("/);
  });
});
