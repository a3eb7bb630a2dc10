/**
 * Host patterns, parsed exactly as Ansible does (ansible/inventory/manager.py):
 * split on "," (or, without commas, on ":"), order unions then "&" intersections then "!"
 * exclusions, optional `[i]` / `[a:b]` subscripts, `~regex` and shell globs.
 */
import { parseAddress } from './input/address.js';

/** `a,b` or `a:b:&c:!d` into single patterns; whitespace ignored. */
export function splitPatterns(selector: string): string[] {
  let parts: string[];
  if (selector.includes(',')) parts = selector.split(',');
  else if (isSingleAddress(selector)) parts = [selector];
  else parts = selector.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((s) => s.trim()).filter(Boolean);
}

/** Ansible keeps `host:port` and IPv6 addresses whole instead of splitting them on ":". */
function isSingleAddress(s: string): boolean {
  const bare = s.replace(/^\[(.*)\](?::\d+)?$/, '$1');
  return parseAddress(bare) !== undefined || /^[A-Za-z0-9._-]+(?:\[[^\]]*\][A-Za-z0-9._-]*)*:\d+$/.test(s);
}

/** Unions first, then intersections, then exclusions; only `&`/`!` patterns means `all` first. */
export function orderPatterns(patterns: string[]): string[] {
  const regular = patterns.filter((p) => p[0] !== '!' && p[0] !== '&');
  const and = patterns.filter((p) => p[0] === '&');
  const not = patterns.filter((p) => p[0] === '!');
  return [...(regular.length ? regular : ['all']), ...and, ...not];
}

export type Subscript = { index: number } | { start: number; end: number };

const WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

export function splitSubscript(pattern: string): { expr: string; sub?: Subscript } {
  if (pattern.startsWith('~')) return { expr: pattern };
  const m = WITH_SUBSCRIPT.exec(pattern);
  if (!m) return { expr: pattern };
  if (m[2] !== undefined) return { expr: m[1]!, sub: { index: Number(m[2]) } };
  const end = m[5] ? Number(m[5]) : -1;
  // Ansible quirk kept on purpose: an end of 0 (`[3:0]`) selects the single host at start.
  return { expr: m[1]!, sub: end === 0 ? { index: Number(m[3]) } : { start: Number(m[3]), end } };
}

/** Python slice semantics; undefined when an index is out of range (Ansible errors then). */
export function applySubscript<T>(items: T[], sub?: Subscript): T[] | undefined {
  if (!sub || !items.length) return items;
  if ('index' in sub) {
    const i = sub.index < 0 ? items.length + sub.index : sub.index;
    return i >= 0 && i < items.length ? [items[i]!] : undefined;
  }
  const end = sub.end === -1 ? items.length - 1 : sub.end;
  return items.slice(sub.start, end + 1);
}

/** `~regex` (matched at the start, like Python's re.match) or an fnmatch glob (whole name). */
export function compileMatcher(pattern: string): RegExp {
  if (pattern.startsWith('~')) return new RegExp(`^(?:${pattern.slice(1)})`, 's');
  return new RegExp(`^${globToRegex(pattern)}$`, 's');
}

export function isGlobOrRegex(pattern: string): boolean {
  return pattern.startsWith('~') || /[.?*[]/.test(pattern);
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; everything else literal. */
export function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', glob[i + 1] === '!' ? i + 3 : i + 2);
      if (close < 0) out += '\\[';
      else {
        const body = glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  return out;
}
