/** The process counter of `npm run bench -- --processes` (bench/lib/proctrace.ts): pure parsing. */
import { describe, expect, it } from 'vitest';
import { countTrace, parseTrace, programsText } from '../../bench/lib/proctrace.js';

const SCRIPT = 'section() { :; }\nsection start\nx=$(date)\nsection staged\nls | sort\n';

/** What `strace -f --pidns-translation` printed for one connection running SCRIPT (shortened). */
const TRACE = [
  "100 clone(child_stack=NULL, flags=SIGCHLD) = 7 /* 200 in strace's PID NS */",
  '200 execve("/usr/sbin/sshd", ["/usr/sbin/sshd", "-D", "-R"], 0x1 /* 3 vars */) = 0',
  "200 clone(child_stack=NULL, flags=SIGCHLD) = 8 /* 201 in strace's PID NS */",
  `201 execve("/bin/bash", ["bash", "-c", "sh -c '...' fleet a"], 0x1 /* 3 vars */) = 0`,
  `201 execve("/usr/bin/sh", ["sh", "-c", ${JSON.stringify(SCRIPT)}, "fleet", "a"], 0x1 /* 3 vars */) = 0`,
  '201 write(1, "\\n@@fleet:start\\n", 16) = 16',
  '201 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>',
  '202 execve("/usr/bin/date", ["date"], 0x1 /* 3 vars */ <unfinished ...>',
  "201 <... clone resumed>) = 9 /* 202 in strace's PID NS */",
  '202 <... execve resumed>) = 0',
  '201 write(1, "\\n@@fleet:staged\\n", 17) = 17',
  "201 clone(child_stack=NULL, flags=SIGCHLD) = 10 /* 203 in strace's PID NS */",
  "203 clone(child_stack=NULL, flags=SIGCHLD) = 11 /* 204 in strace's PID NS */",
  '204 execve("/usr/bin/ls", ["ls"], 0x1 /* 3 vars */) = 0',
  '203 execve("/usr/bin/nope", ["nope"], 0x1 /* 3 vars */) = -1 ENOENT (No such file or directory)',
  '203 execve("/usr/bin/sort", ["sort"], 0x1 /* 3 vars */) = 0',
  '201 write(1, "\\n@@fleet:swapped\\n", 18) = 18',
].join('\n');

describe('the process counter', () => {
  const trace = parseTrace(TRACE);

  it('follows pids across the host pid namespace and finished calls', () => {
    expect(trace.root).toBe(100);
    expect(trace.procs.get(202)?.parent).toBe(201);
    expect(trace.procs.get(203)?.execs).toEqual(['sort']);
    expect(trace.markers.map((m) => m.name)).toEqual(['start', 'staged', 'swapped']);
  });

  it('names the script by its text, counts per step, sshd apart', () => {
    const c = countTrace(
      trace,
      { demo: SCRIPT },
      {
        demo: { ends: { start: 'one', staged: 'two', swapped: 'three' }, after: 'after' },
      },
    );
    expect(c.sshd).toBe(1);
    expect(c.other.processes).toBe(0);
    expect(c.scripts).toHaveLength(1);
    const [s] = c.scripts;
    expect(s!.script).toBe('demo');
    expect(s!.args).toEqual(['a']);
    const steps = Object.fromEntries(s!.steps.map((x) => [x.step, [x.processes, programsText(x)]]));
    // The shell itself is born before `start`; date before `staged`; the pipeline before `swapped`.
    expect(steps).toEqual({ one: [1, 'sh'], two: [1, 'date'], three: [2, 'ls, sort'] });
  });

  it('calls an unknown script unknown, and a fork that never execs a subshell', () => {
    const t = parseTrace(
      TRACE.replace('"ls"], 0x1 /* 3 vars */) = 0', '"ls"], 0x1 /* 3 vars */) = -1 ENOENT (x)'),
    );
    const c = countTrace(t, {});
    expect(c.scripts[0]!.script).toBe('unknown');
    expect(c.scripts[0]!.steps[0]!.subshells).toBe(1);
    expect(programsText(c.scripts[0]!.steps[0]!)).toBe('date, sh, sort, subshell');
  });
});
