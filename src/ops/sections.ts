/**
 * Remote scripts print their results as named sections: a line `@@fleet:NAME` starts one,
 * everything up to the next marker is its body. Parsing is pure and tolerant of stray output.
 */
export const MARK = '@@fleet:';

/** The shell function every sectioned script defines: `section NAME` prints the marker. */
export const SECTION_FN = `section() { printf '\\n${MARK}%s\\n' "$1"; }`;

export function parseSections(out: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | null = null;
  let body: string[] = [];
  const flush = () => {
    if (name !== null) sections.set(name, trimBlankEdges(body).join('\n'));
  };
  for (const line of out.split('\n')) {
    if (line.startsWith(MARK)) {
      flush();
      name = line.slice(MARK.length).trim();
      body = [];
    } else if (name !== null) body.push(line);
  }
  flush();
  return sections;
}

function trimBlankEdges(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  return lines.slice(0, end);
}

/** `key=value` lines into a record (the form scripts use for small facts). */
export function parseKeyValues(body: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (body ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}
