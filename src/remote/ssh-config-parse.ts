/**
 * Lines of an ssh_config file, split the way OpenSSH's readconf.c does: keyword (case-insensitive,
 * separated by whitespace or one `=`), then arguments with "double" / 'single' quotes and backslash
 * escapes; a `#` at the start of an argument ends the line.
 */

export interface ConfigLine {
  /** Lower-cased keyword. */
  keyword: string;
  args: string[];
  file: string;
  line: number;
}

export interface ParsedConfig {
  lines: ConfigLine[];
  /** Lines OpenSSH would reject (bad quotes, keyword without argument): file:line: message. */
  problems: string[];
}

export function parseSshConfig(text: string, file: string): ParsedConfig {
  const lines: ConfigLine[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const r = parseLine(raw, file, i + 1);
    if (typeof r === 'string') problems.push(`${file}:${i + 1}: ${r}`);
    else if (r) lines.push(r);
  });
  return { lines, problems };
}

function parseLine(raw: string, file: string, line: number): ConfigLine | string | undefined {
  const text = raw.replace(/[ \t\r\n\f]+$/, '').replace(/^[ \t]+/, '');
  if (text === '' || text.startsWith('#')) return undefined;
  const m = /^([^\s=]+)(?:[ \t]*=[ \t]*|[ \t]+|$)(.*)$/.exec(text);
  if (!m) return 'cannot read this line';
  const keyword = m[1]!.toLowerCase();
  const rest = m[2] ?? '';
  if (rest === '') return `no argument after keyword "${keyword}"`;
  const args = splitArgs(rest);
  if (args === undefined) return 'invalid quotes';
  return { keyword, args, file, line };
}

/** OpenSSH argv_split(..., terminate_on_comment=1). Undefined when a quote is not closed. */
export function splitArgs(s: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    const r = readWord(s, i);
    if (!r) return undefined;
    out.push(r.word);
    i = r.end;
  }
  return out;
}

function readWord(s: string, start: number): { word: string; end: number } | undefined {
  let word = '';
  let quote = '';
  let i = start;
  for (; i < s.length; i++) {
    const c = s[i]!;
    const next = s[i + 1];
    if (c === '\\' && (next === "'" || next === '"' || next === '\\' || (!quote && next === ' '))) {
      word += next;
      i++;
    } else if (!quote && (c === ' ' || c === '\t')) break;
    else if (!quote && (c === '"' || c === "'")) quote = c;
    else if (quote && c === quote) quote = '';
    else word += c;
  }
  return quote ? undefined : { word, end: i };
}
