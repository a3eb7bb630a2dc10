/**
 * Splitting and quoting rule lines the way iptables-restore and iptables-save do: whitespace
 * separates tokens, double quotes group, a backslash escapes the next character inside quotes.
 * Single quotes are ordinary characters to iptables-restore, so they are here too.
 */

export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (ch === '"') {
      quoted = !quoted;
      inToken = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += ch;
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

const NO_QUOTE = /^[A-Za-z0-9_-]+$/;
const SAFE_BARE = /^[A-Za-z0-9_.:/,!+=@%-]+$/;

/** As xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted with \" \\ \' escaped. */
export function saveString(value: string): string {
  if (NO_QUOTE.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** Options whose value iptables-save prints through xtables_save_string. */
const STRING_OPTIONS = new Set(['--comment', '--log-prefix', '--nflog-prefix', '--string', '--helper']);

/** Render argv as one restore line fragment; quote where iptables-restore would split or misread. */
export function joinArgs(args: readonly string[]): string {
  return args
    .map((a, i) => {
      const prev = args[i - 1];
      if (prev !== undefined && STRING_OPTIONS.has(prev)) return saveString(a);
      return SAFE_BARE.test(a) ? a : saveString(a);
    })
    .join(' ');
}
