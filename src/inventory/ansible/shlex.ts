/** Python's shlex.split(line, comments=True), enough for Ansible INI host lines; keeps columns. */

export interface Token {
  text: string;
  /** 0-based column where the token starts. */
  col: number;
}

export function shlexSplit(line: string): Token[] | string {
  const tokens: Token[] = [];
  let cur: Token | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && /["\\$`]/.test(line[i + 1] ?? '')) cur!.text += line[++i];
      else cur!.text += c;
      continue;
    }
    if (/\s/.test(c)) {
      if (cur) tokens.push(cur);
      cur = undefined;
      continue;
    }
    if (c === '#' && !cur) break;
    cur ??= { text: '', col: i };
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\') cur.text += line[++i] ?? '';
    else cur.text += c;
  }
  if (quote) return 'no closing quotation';
  if (cur) tokens.push(cur);
  return tokens;
}

/** Ansible's _parse_value: Python literals (numbers, True/False/None, quoted strings), else text. */
export function parseIniValue(v: string): unknown {
  if (/^[+-]?\d+$/.test(v)) return Number(v);
  if (/^[+-]?(\d+\.\d*|\.\d+)(e[+-]?\d+)?$/i.test(v)) return Number(v);
  if (v === 'True' || v === 'False') return v === 'True';
  if (v === 'None') return null;
  const q = /^(['"])(.*)\1$/.exec(v);
  return q ? q[2] : v;
}
