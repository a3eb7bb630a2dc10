/**
 * Remote scripts print their results as named sections: a line `@@fleet:NAME` starts one,
 * everything up to the next marker is its body. Parsing is pure and tolerant of stray output.
 */
export const MARK = '@@fleet:';

/** The shell function every sectioned script defines: `section NAME` prints the marker. */
export const SECTION_FN = `section() { printf '\\n${MARK}%s\\n' "$1"; }`;

/**
 * awk code that sets \`now\` to the host's clock (epoch seconds) without a \`date\` process: POSIX
 * \`srand()\` seeds from the time of day and returns the previous seed, so the second call returns
 * the time (mawk seeds itself at start, hence two calls). An awk whose seed is no clock falls back
 * to \`date\`.
 */
export const AWK_NOW =
  'srand(); now = srand(); if (now < 1000000000) { "date +%s" | getline now; close("date +%s") }';

/**
 * awk function \`show(NAME, FILE)\`: the section NAME, then \`present\` and FILE's lines, or \`missing\`
 * where FILE is "" (the shell passes a path only where \`[ -f ]\` holds): a file printed with no
 * \`cat\` process, by an awk the script runs anyway.
 */
export const AWK_SHOW = `function show(name, f,  l) {
  printf "\\n${MARK}%s\\n", name
  if (f == "") { print "missing"; return }
  print "present"
  while ((getline l < f) > 0) print l
  close(f)
}`;

export function parseSections(out: string): Map<string, string> {
  return parseStamped(out).sections;
}

/** A section marker may carry a host clock in ms (`@@fleet:NAME 1700000000123`). */
export interface Stamp {
  name: string;
  ms: number;
}

/**
 * The shell function for scripts whose steps are timed on the host's own clock: the stamp is the
 * host's uptime in ms (10 ms steps), read with the \`read\` builtin (no process per step); no stamp
 * where /proc/uptime cannot be read. Only differences between stamps mean anything.
 */
export const STAMPED_SECTION_FN = `section() {
  if { read -r up _ < /proc/uptime; } 2>/dev/null; then printf '\\n${MARK}%s %s\\n' "$1" "\${up%.*}\${up#*.}0"
  else printf '\\n${MARK}%s\\n' "$1"; fi
}`;

export function parseStamped(out: string): { sections: Map<string, string>; stamps: Stamp[] } {
  const sections = new Map<string, string>();
  const stamps: Stamp[] = [];
  let name: string | null = null;
  let body: string[] = [];
  const flush = () => {
    if (name !== null) sections.set(name, trimBlankEdges(body).join('\n'));
  };
  for (const line of out.split('\n')) {
    if (line.startsWith(MARK)) {
      flush();
      const [first, ms] = line.slice(MARK.length).trim().split(/\s+/);
      name = first ?? '';
      if (ms !== undefined && /^\d+$/.test(ms)) stamps.push({ name, ms: Number(ms) });
      body = [];
    } else if (name !== null) body.push(line);
  }
  flush();
  return { sections, stamps };
}

/** Step durations from consecutive stamps: each step ends at its own marker. */
export function stepDurations(stamps: readonly Stamp[]): { step: string; ms: number }[] {
  return stamps.slice(1).map((s, i) => ({ step: s.name, ms: s.ms - (stamps[i]?.ms ?? s.ms) }));
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

/**
 * A script's stdout, streamed, for waits: a `waiting` section (its first line says for what)
 * calls `onWait(what)`, a `waited` section `onWait(null)`. The update script waiting for apt's
 * lock and the lock script waiting for another fleet run's say so this way, while they wait.
 */
export function waitWatcher(onWait: (what: string | null) => void): (chunk: string) => void {
  let partial = '';
  let next = false;
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (next) onWait(line.trim() || 'unknown holder');
      next = line === `${MARK}waiting`;
      if (line === `${MARK}waited`) onWait(null);
    }
  };
}
