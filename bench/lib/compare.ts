/**
 * The comparison run: every row measured R times, the tools of each section taking turns
 * (the order rotates each round, so no tool always runs first on a cold cache or last on a hot
 * one). Sections: the floor (pssh `true`, two key exchanges), facts, ban, apply, audit.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostCpuS } from './hostcpu.js';
import { measure } from './measure.js';
import { type Row, type Sample, summarize } from './report.js';
import {
  NORMALIZED_SAVE,
  PSSH_APPLY,
  PSSH_DRIFT,
  psshBan,
  psshUnban,
  type ToolRun,
  Tools,
  V6_MARK,
  writePlaybooks,
} from './tools.js';
import type { HostSet, Workspace } from './workspace.js';

export interface CompareOptions {
  reps: number;
  concurrency: number;
  log: (s: string) => void;
  /** `--ops`: the sections to run besides the floor (default: all). */
  ops?: readonly string[];
  /** `--no-ansible`: leave Ansible's rows out (they take most of a run's time). */
  ansible?: boolean;
}

export type Check = (s: Sample) => string | undefined;

interface Step {
  row: Row;
  run: () => ToolRun;
  check: Check;
  /** Untimed work after the measured run (cleanup). */
  after?: () => Promise<void>;
  before?: () => void;
}

export const exitZero: Check = (s) =>
  s.code === 0 ? undefined : `exit ${s.code}: ${tail(s.stderr || s.stdout)}`;

function tail(text: string): string {
  return text.trim().split('\n').slice(-2).join(' | ').slice(0, 300);
}

/** fleet's closing counts line must cover every host with the wanted status; if not, the
 * problem names that line and the first lines about hosts that were not ok. */
export function fleetAll(hosts: number, status: string): Check {
  return (s) => {
    if (s.code === 0 && new RegExp(`^${hosts} hosts: ${hosts} ${status}\\b`, 'm').test(s.stdout))
      return undefined;
    const lines = `${s.stdout}\n${s.stderr}`.split('\n').filter((l) => l.trim() !== '');
    const summary = lines.filter((l) => /^\d+ hosts:/.test(l));
    const bad = lines.filter((l) => !/ (ok|changed) |^\d+ hosts:|report: /.test(l)).slice(0, 3);
    return `exit ${s.code}, not ${hosts} ${status}: ${[...summary, ...bad].join(' | ').slice(0, 500)}`;
  };
}

function row(id: string, group: string, label: string): Row {
  return { id, group, label, samples: [] };
}

/** Rotates `xs` by `k`: round k starts with a different tool. */
function rotate<T>(xs: T[], k: number): T[] {
  const n = k % xs.length;
  return [...xs.slice(n), ...xs.slice(0, n)];
}

/** Profile text of the two apply variants: each apply really changes every host. */
export const VARIANTS = [
  'description: bench variant a\nextends: base\nservices:\n  http: { port: 80 }\n',
  'description: bench variant b\nextends: base\nservices:\n  http: { port: 80 }\n  alt-http: { port: 8080 }\n',
];

export interface Compiled {
  v4: string;
  v6: string;
}

export class Bench {
  readonly tools: Tools;
  private variant = 0;
  readonly compiled: Compiled[] = [];
  private readonly expected = new Map<number, string>();
  readonly playbooks: { apply: string; drift: string };

  constructor(
    readonly ws: Workspace,
    readonly set: HostSet,
    readonly opts: CompareOptions,
  ) {
    this.tools = new Tools(ws, set, opts.concurrency);
    this.playbooks = writePlaybooks(ws);
  }

  /** Variant v is what the hosts should get next: fleet's profile says so. */
  useVariant(v: number): void {
    this.variant = v;
    writeFileSync(join(this.ws.repo, 'profiles', 'bench.yaml'), VARIANTS[v]!);
  }

  /** `fleet compile` of both variants (what pssh and Ansible push), as files too. */
  compileVariants(): void {
    const first = this.set.hosts[0]!.name;
    for (const v of [0, 1]) {
      this.useVariant(v);
      const text = (extra: string[]) => {
        const t = this.tools.fleet(['compile', first, ...extra]);
        const argv = t.argv.filter((a, i, all) => a !== '--concurrency' && all[i - 1] !== '--concurrency');
        const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`fleet compile failed: ${r.stderr}`);
        return r.stdout;
      };
      const c = { v4: text([]), v6: text(['--v6']) };
      this.compiled[v] = c;
      writeFileSync(join(this.ws.dir, `rules-${v}.v4`), c.v4);
      writeFileSync(join(this.ws.dir, `rules-${v}.v6`), c.v6);
    }
  }

  /** What the hosts show after variant v is in place, normalized like the drift checks do. */
  captureExpected(v: number): string {
    const cached = this.expected.get(v);
    if (cached) return cached;
    const h = this.set.hosts[0]!;
    const out = spawnSync(
      'ssh',
      [
        '-F',
        this.ws.sshConfig,
        '-o',
        `UserKnownHostsFile=${this.ws.knownHosts}`,
        '-o',
        'StrictHostKeyChecking=yes',
        `root@${h.address}`,
        NORMALIZED_SAVE,
      ],
      { encoding: 'utf8' },
    );
    if (out.status !== 0) throw new Error(`reading the expected rules failed: ${out.stderr}`);
    this.expected.set(v, out.stdout);
    writeFileSync(join(this.ws.dir, `expected-${v}.rules`), out.stdout.replace(/\n$/, ''));
    return out.stdout;
  }

  nextVariant(): number {
    this.variant = 1 - this.variant;
    return this.variant;
  }

  get currentVariant(): number {
    return this.variant;
  }

  /** One measured run of `tool`, checked, with the hosts' CPU for it; added to `r`. */
  async sample(r: Row, tool: ToolRun, check: Check): Promise<Sample> {
    const load = loadavg()[0]!;
    const hostBefore = hostCpuS(this.set.hosts);
    const m = await measure(tool.argv, { env: tool.env, input: tool.input, timeoutMs: 900_000 });
    await sleep(300); // sshd reaps the last sessions
    const s: Sample = { ...m, load, hostCpuS: hostCpuS(this.set.hosts) - hostBefore };
    const problem = check(s);
    if (problem) s.problem = problem;
    r.samples.push(s);
    return s;
  }

  /** The next variant, written to the profile (fleet apply compiles it). */
  nextProfile(): number {
    const v = this.nextVariant();
    this.useVariant(v);
    return v;
  }

  /** pssh apply's stdin: the v4 ruleset, a marker line, the v6 ruleset. */
  psshApplyInput(v: number): string {
    const c = this.compiled[v]!;
    return `${c.v4}${c.v4.endsWith('\n') ? '' : '\n'}${V6_MARK}\n${c.v6}`;
  }

  async untimed(tool: ToolRun, what: string): Promise<void> {
    const m = await measure(tool.argv, { env: tool.env, input: tool.input });
    if (m.code !== 0) this.opts.log(`warning: ${what} exited ${m.code}: ${tail(m.stderr || m.stdout)}`);
  }
}

export interface CompareResult {
  rows: Row[];
  floorId: string;
  cpuRefId: string;
}

/** 198.51.100.0/24 (documentation): only sits in rules and sets, never a packet. */
function banAddress(tool: number, round: number): string {
  return `198.51.100.${100 + tool * 40 + round}`;
}

export async function compare(b: Bench): Promise<CompareResult> {
  const { tools, set, opts } = b;
  const n = set.count;
  const wanted = (step: Step) =>
    step.row.group === 'floor' ||
    ((opts.ops ?? [step.row.group]).includes(step.row.group) &&
      (opts.ansible !== false || !step.row.id.endsWith('-ansible')));
  const rows = {
    floorDefault: row('floor-default', 'floor', 'parallel-ssh `true` (default kex)'),
    floorCurve: row('floor-curve', 'floor', 'parallel-ssh `true` (curve25519)'),
    facts: row('facts', 'facts', '`fleet facts all`'),
    banFleet: row('ban-fleet', 'ban', '`fleet ban ADDR`'),
    banPssh: row('ban-pssh', 'ban', 'parallel-ssh `iptables -C … || iptables -I …`'),
    banAnsible: row('ban-ansible', 'ban', '`ansible -m ansible.builtin.iptables`'),
    applyFleet: row('apply-fleet', 'apply', '`fleet apply all` (safe path)'),
    applyPssh: row('apply-pssh', 'apply', 'parallel-ssh -I backup + iptables-restore'),
    applyAnsible: row('apply-ansible', 'apply', 'ansible-playbook backup + copy + iptables-restore'),
    auditFleet: row('audit-fleet', 'audit', '`fleet audit all`'),
    auditPssh: row('audit-pssh', 'audit', 'parallel-ssh iptables-save | diff'),
    auditAnsible: row('audit-ansible', 'audit', 'ansible-playbook iptables-save + assert'),
  };

  b.compileVariants();
  // Start from variant 0 everywhere, so the first timed apply is a real change like the others.
  b.useVariant(0);
  await b.untimed(tools.fleet(['apply', 'all', '--canary', '0']), 'initial apply');
  b.captureExpected(0);

  for (let round = 0; round < opts.reps; round++) {
    opts.log(`round ${round + 1}/${opts.reps}`);
    const sections: Step[][] = [
      [
        { row: rows.floorDefault, run: () => tools.pssh('true', 'default'), check: exitZero },
        { row: rows.floorCurve, run: () => tools.pssh('true', 'curve25519'), check: exitZero },
      ],
      [{ row: rows.facts, run: () => tools.fleet(['facts', 'all']), check: fleetAll(n, 'ok') }],
      [
        {
          row: rows.banFleet,
          run: () => tools.fleet(['ban', banAddress(0, round), '--reason', 'bench']),
          check: (s) =>
            exitZero(s) ?? (s.stderr.includes(`done on ${n} of ${n}`) ? undefined : tail(s.stderr)),
          after: () => b.untimed(tools.fleet(['unban', banAddress(0, round)]), 'fleet unban'),
        },
        {
          row: rows.banPssh,
          run: () => tools.pssh(psshBan(banAddress(1, round))),
          check: exitZero,
          after: () => b.untimed(tools.pssh(psshUnban(banAddress(1, round))), 'pssh unban'),
        },
        {
          row: rows.banAnsible,
          run: () =>
            tools.ansible(
              'ansible.builtin.iptables',
              `chain=INPUT source=${banAddress(2, round)} jump=DROP action=insert`,
            ),
          check: exitZero,
          after: () => b.untimed(tools.pssh(psshUnban(banAddress(2, round))), 'pssh unban (ansible ban)'),
        },
      ],
      [
        {
          row: rows.applyFleet,
          before: () => b.nextProfile(),
          run: () => tools.fleet(['apply', 'all']),
          check: fleetAll(n, 'changed'),
        },
        {
          row: rows.applyPssh,
          before: () => b.nextVariant(),
          run: () => tools.pssh(PSSH_APPLY, 'curve25519', b.psshApplyInput(b.currentVariant)),
          check: exitZero,
        },
        {
          row: rows.applyAnsible,
          before: () => b.nextVariant(),
          run: () =>
            tools.playbook(b.playbooks.apply, {
              rules_v4: join(b.ws.dir, `rules-${b.currentVariant}.v4`),
              rules_v6: join(b.ws.dir, `rules-${b.currentVariant}.v6`),
            }),
          check: exitZero,
        },
      ],
      [
        { row: rows.auditFleet, run: () => tools.fleet(['audit', 'all']), check: fleetAll(n, 'ok') },
        {
          row: rows.auditPssh,
          run: () => tools.pssh(PSSH_DRIFT, 'curve25519', b.captureExpected(b.currentVariant)),
          check: exitZero,
        },
        {
          row: rows.auditAnsible,
          run: () =>
            tools.playbook(b.playbooks.drift, {
              expected: join(b.ws.dir, `expected-${b.currentVariant}.rules`),
            }),
          check: exitZero,
        },
      ],
    ];
    for (const [i, section] of sections.entries()) {
      const steps = rotate(section.filter(wanted), round);
      for (const step of steps) {
        step.before?.();
        const s = await b.sample(step.row, step.run(), step.check);
        opts.log(
          `  ${step.row.label}: ${s.wallS.toFixed(2)} s wall, ${s.cpuS.toFixed(2)} s CPU, ${s.peakMB.toFixed(0)} MB${s.problem ? `  PROBLEM: ${s.problem}` : ''}`,
        );
        await step.after?.();
      }
      // After the apply section the profile must match what the hosts now run (audit compares).
      if (i === 3) {
        b.useVariant(b.currentVariant);
        b.captureExpected(b.currentVariant);
        // pssh's and Ansible's restores leave the boot files and fleet's backups as they were, which
        // fleet's audit rightly flags (its run would be left out): where one of them applied last,
        // fleet applies the same rules again, untimed (nothing to change but the boot files).
        const last = steps.at(-1);
        if (last && last.row !== rows.applyFleet && sections[4]!.some(wanted))
          await b.untimed(tools.fleet(['apply', 'all', '--canary', '0']), 'fleet apply before the audit');
      }
    }
  }
  const list = Object.values(rows).filter((r) => r.samples.length > 0);
  const wall = (r: Row) => summarize(r).wallS || Number.POSITIVE_INFINITY;
  const floor = [rows.floorDefault, rows.floorCurve].sort((x, y) => wall(x) - wall(y))[0]!;
  return { rows: list, floorId: floor.id, cpuRefId: rows.floorCurve.id };
}
