/** Ansible host ranges: `web[01:03]`, `db-[a:c]`, `n[0:10:2]` (ansible/inventory/helpers expand_hostname_range). */

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MAX_HOSTS = 100_000;

export function hasRange(name: string): boolean {
  return /\[[^\]]*:[^\]]*\]/.test(name);
}

/** Expands every range in `name`; returns an error message for a malformed one. */
export function expandRange(name: string): string[] | string {
  const m = /^([^[]*)\[([^\]]*)\]([\s\S]*)$/.exec(name);
  if (!m || !hasRange(name)) return [name];
  const [, head, body, tail] = m as unknown as [string, string, string, string];
  const seq = rangeValues(body);
  if (typeof seq === 'string') return `host range "[${body}]": ${seq}`;
  const out: string[] = [];
  for (const v of seq) {
    const more = expandRange(`${head}${v}${tail}`);
    if (typeof more === 'string') return more;
    out.push(...more);
    if (out.length > MAX_HOSTS) return `host range "${name}" expands to more than ${MAX_HOSTS} hosts`;
  }
  return out;
}

function rangeValues(body: string): string[] | string {
  const bounds = body.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return 'must be begin:end or begin:end:step';
  const [beg = '0', end = '', stepText = '1'] = bounds;
  const step = Number(stepText);
  if (!end) return 'must specify an end value';
  if (!Number.isInteger(step) || step < 1) return 'step must be a positive whole number';
  const begin = beg || '0';
  if (LETTERS.includes(begin) && begin.length === 1 && LETTERS.includes(end) && end.length === 1) {
    return letters(begin, end, step);
  }
  return numbers(begin, end, step);
}

function letters(beg: string, end: string, step: number): string[] | string {
  const [i, j] = [LETTERS.indexOf(beg), LETTERS.indexOf(end)];
  if (i > j) return 'begin must be <= end';
  return [...LETTERS.slice(i, j + 1)].filter((_, k) => k % step === 0);
}

function numbers(beg: string, end: string, step: number): string[] | string {
  if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) return 'bounds must be numbers or single letters';
  const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
  if (width && end.length !== width) return 'begin and end must have the same number of digits';
  const out: string[] = [];
  for (let n = Number(beg); n <= Number(end) && out.length <= MAX_HOSTS; n += step) {
    out.push(String(n).padStart(width, '0'));
  }
  return out;
}
