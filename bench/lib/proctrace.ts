/**
 * Processes a fleet command makes a host start, from `strace -f` of the host's listening sshd
 * (`-e trace=execve,clone,clone3,fork,vfork,write`, one output file, strings not truncated, and
 * `--pidns-translation`: the host has its own pid namespace).
 * Pure: the trace text in, per script and per step the processes out.
 *
 * - A process is a pid the trace saw created. sshd's own (the connection's sshd, its privilege
 *   separation children) are counted apart: they are the same for every SSH tool.
 * - A script is the process that execs `sh -c SCRIPT fleet ARGS` (the login shell execs it in
 *   place); every process below it is its. The script is named by comparing its text with the
 *   known scripts.
 * - A step ends at a section marker (`@@fleet:NAME`) the script writes: a process belongs to the
 *   step of the first mapped marker written after it was created (StepMap), or its parent's
 *   when the parent is not the script's shell.
 * - A subshell is a process that never execs (`$(...)`, a pipeline's shell part, `( ... )`).
 */

export interface TracedProcess {
  pid: number;
  parent: number | null;
  /** Line of the trace where it was created (the clone call). */
  born: number;
  /** Basenames of what it exec'd, in order (empty: a fork that never exec'd). */
  execs: string[];
  /** argv of its first `sh -c` exec, when it has one. */
  shArgv?: string[];
}

export interface Marker {
  pid: number;
  line: number;
  name: string;
}

export interface Trace {
  procs: Map<number, TracedProcess>;
  markers: Marker[];
  /** pid of the traced process (the listening sshd): the root of the tree. */
  root: number | null;
}

const LINE = /^(\d+) +(.*)$/;
const CALL = /^(execve|clone3?|v?fork|write)\((.*)$/;
const RESUMED = /^<\.\.\. (execve|clone3?|v?fork|write) resumed>(.*)$/;
/** The return value; a child's pid in strace's own pid namespace when --pidns-translation says it. */
const RESULT = /\) += (-?\d+)(?: \/\* (\d+) in strace's PID NS \*\/)?(?: [A-Z]+.*)?$/;

/** A C string as strace prints it, back to its text. */
export function cString(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return (
      ({ n: '\n', t: '\t', r: '\r', v: '\v', f: '\f', '"': '"', '\\': '\\' } as Record<string, string>)[e] ??
      e
    );
  });
}

/** The strings of the first `[...]` array of an execve call's text. */
export function argvOf(callText: string): string[] {
  const start = callText.indexOf('[');
  if (start < 0) return [];
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"(\.\.\.)?|\]/g;
  re.lastIndex = start;
  for (let m = re.exec(callText); m; m = re.exec(callText)) {
    if (m[0] === ']') break;
    out.push(cString(m[1]!));
  }
  return out;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function parseTrace(text: string): Trace {
  const procs = new Map<number, TracedProcess>();
  const markers: Marker[] = [];
  /** A call still running per pid: its name, its first text and the line it started on. */
  const pending = new Map<number, { call: string; text: string; line: number }>();
  let root: number | null = null;
  const proc = (pid: number, line: number): TracedProcess => {
    let p = procs.get(pid);
    if (!p) {
      p = { pid, parent: null, born: line, execs: [] };
      procs.set(pid, p);
    }
    return p;
  };
  const finish = (pid: number, call: string, text: string, started: number, ret: number) => {
    if (ret < 0) return;
    if (call === 'execve') {
      const argv = argvOf(text);
      const path = /^"((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? argv[0] ?? '?';
      const p = proc(pid, started);
      p.execs.push(basename(cString(path)));
      if (!p.shArgv && argv[1] === '-c' && argv[3] === 'fleet' && /(^|\/)(da|ba)?sh$/.test(argv[0] ?? ''))
        p.shArgv = argv;
    } else if (call === 'write') {
      for (const m of text.matchAll(/@@fleet:([A-Za-z0-9_-]+)/g))
        markers.push({ pid, line: started, name: m[1]! });
    } else if (ret > 0) {
      const child = proc(ret, started);
      child.parent = pid;
      child.born = Math.min(child.born, started);
    }
  };
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const m = LINE.exec(raw);
    if (!m) continue;
    const pid = Number(m[1]);
    root ??= pid;
    proc(pid, i);
    const body = m[2]!;
    const resumed = RESUMED.exec(body);
    if (resumed) {
      const p = pending.get(pid);
      pending.delete(pid);
      const ret = RESULT.exec(body);
      if (p && ret) finish(pid, p.call, p.text + resumed[2]!, p.line, Number(ret[2] ?? ret[1]));
      continue;
    }
    const call = CALL.exec(body);
    if (!call) continue;
    if (body.endsWith('<unfinished ...>')) {
      pending.set(pid, { call: call[1]!, text: call[2]!.replace(/ <unfinished \.\.\.>$/, ''), line: i });
      continue;
    }
    const ret = RESULT.exec(body);
    if (ret) finish(pid, call[1]!, call[2]!, i, Number(ret[2] ?? ret[1]));
  }
  return { procs, markers, root };
}

export interface ScriptCount {
  /** Which script ran (a key of `known`, or `unknown`). */
  script: string;
  /** Its arguments ($1...). */
  args: string[];
  steps: StepCount[];
}

export interface StepCount {
  step: string;
  /** Processes started, the script's own shell included in its first step. */
  processes: number;
  subshells: number;
  /** Program basename → how many times it was exec'd. */
  programs: Map<string, number>;
}

export interface HostCount {
  /** sshd processes (connections, privilege separation): the same for any SSH client. */
  sshd: number;
  /** Processes under no fleet script (another tool's commands, a login shell that forked). */
  other: StepCount;
  scripts: ScriptCount[];
}

function emptyStep(step: string): StepCount {
  return { step, processes: 0, subshells: 0, programs: new Map() };
}

function add(s: StepCount, p: TracedProcess): void {
  s.processes++;
  const own = p.execs.filter((e) => e !== 'bash' || p.execs.length === 1);
  if (own.length === 0) s.subshells++;
  for (const e of own.slice(-1)) s.programs.set(e, (s.programs.get(e) ?? 0) + 1);
}

/** A script's steps: marker name → the step it ends; `after`: the step past the last marker. */
export interface StepMap {
  ends: Record<string, string>;
  after: string;
}

/**
 * Counts per script and step. `known` names the scripts by their exact text; `steps` gives the
 * steps of the scripts that have them (the others are one step, named as the script).
 */
export function countTrace(
  trace: Trace,
  known: Record<string, string>,
  steps: Record<string, StepMap> = {},
): HostCount {
  const byText = new Map(Object.entries(known).map(([name, text]) => [text, name]));
  const all = [...trace.procs.values()].sort((a, b) => a.born - b.born);
  const isSshd = (p: TracedProcess): boolean =>
    p.execs.length
      ? p.execs.every((e) => e === 'sshd')
      : p.parent === null || isSshd(trace.procs.get(p.parent)!);
  const scriptOf = new Map<number, TracedProcess>();
  const findScript = (p: TracedProcess): TracedProcess | undefined => {
    if (scriptOf.has(p.pid)) return scriptOf.get(p.pid);
    const s = p.shArgv ? p : p.parent !== null ? findScript(trace.procs.get(p.parent)!) : undefined;
    if (s) scriptOf.set(p.pid, s);
    return s;
  };
  const out: HostCount = { sshd: 0, other: emptyStep('other'), scripts: [] };
  const counts = new Map<number, ScriptCount>();
  for (const p of all) {
    if (isSshd(p)) {
      if (p.pid !== trace.root) out.sshd++;
      continue;
    }
    const s = findScript(p);
    if (!s) {
      add(out.other, p);
      continue;
    }
    let c = counts.get(s.pid);
    if (!c) {
      const name = byText.get(s.shArgv![2]!) ?? 'unknown';
      c = { script: name, args: s.shArgv!.slice(4), steps: [] };
      counts.set(s.pid, c);
      out.scripts.push(c);
    }
    const map = steps[c.script];
    const step = map ? stepOf(trace, s, p, map) : c.script;
    let sc = c.steps.find((x) => x.step === step);
    if (!sc) {
      sc = emptyStep(step);
      c.steps.push(sc);
    }
    add(sc, p);
  }
  return out;
}

/**
 * The step a process of script `s` belongs to: its parent's, when that is not the script's own
 * shell (a pipeline's commands, a watchdog's sleep); else that of the first mapped marker the
 * script wrote after the process was born (the scripts' markers end their steps).
 */
function stepOf(trace: Trace, s: TracedProcess, p: TracedProcess, map: StepMap): string {
  const parent = p.parent === null ? undefined : trace.procs.get(p.parent);
  if (p !== s && parent && parent !== s) return stepOf(trace, s, parent, map);
  return stepAt(trace, s, p, map);
}

/** That of the first mapped marker written after `p` was born; `after` past the last one. */
function stepAt(trace: Trace, s: TracedProcess, p: TracedProcess, map: StepMap): string {
  for (const m of trace.markers) {
    if (m.line < p.born || map.ends[m.name] === undefined) continue;
    if (belongsTo(trace, m.pid, s.pid)) return map.ends[m.name]!;
  }
  return map.after;
}

function belongsTo(trace: Trace, pid: number, ancestor: number): boolean {
  for (let p: number | null = pid; p !== null; p = trace.procs.get(p)?.parent ?? null) {
    if (p === ancestor) return true;
  }
  return false;
}

/** `awk ×3, date, sh (subshell) ×2`: a step's programs, most first. */
export function programsText(s: StepCount): string {
  const parts = [...s.programs.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => (n > 1 ? `${name} ×${n}` : name));
  if (s.subshells) parts.push(s.subshells > 1 ? `subshell ×${s.subshells}` : 'subshell');
  return parts.join(', ');
}
