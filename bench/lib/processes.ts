/**
 * Processes per host: each fleet command (and the equivalent parallel-ssh row) once on one lab
 * host, with `strace -f` attached to that host's listening sshd, so every process the command
 * makes the host start is seen: the connection's sshd, the login shell, fleet's script, what it
 * runs, orphans such as apply's watchdog. proctrace.ts counts them per script and per step.
 * Deterministic for a given host state: run it before and after a change to a script.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CONFIRM_PERSIST_SCRIPT,
  LOCK_SCRIPT,
  OUTCOME_SCRIPT,
  TRANSACT_SCRIPT,
  UPKEEP_SCRIPT,
} from '../../src/ops/apply/scripts.js';
import { AUDIT_SCRIPT } from '../../src/ops/audit/script.js';
import { BAN_SCRIPT } from '../../src/ops/ban/script.js';
import { FACTS_SCRIPT } from '../../src/ops/facts.js';
import { Bench } from './compare.js';
import { sshdPid } from './hostcpu.js';
import { measure } from './measure.js';
import { countTrace, type HostCount, parseTrace, programsText, type StepMap } from './proctrace.js';
import { machineLine } from './report.js';
import { PSSH_APPLY, PSSH_DRIFT, psshBan, psshUnban, type ToolRun } from './tools.js';
import type { HostSet, Workspace } from './workspace.js';

const KNOWN: Record<string, string> = {
  facts: FACTS_SCRIPT,
  audit: AUDIT_SCRIPT,
  ban: BAN_SCRIPT,
  lock: LOCK_SCRIPT,
  transact: TRANSACT_SCRIPT,
  'confirm+persist': CONFIRM_PERSIST_SCRIPT,
  upkeep: UPKEEP_SCRIPT,
  outcome: OUTCOME_SCRIPT,
};

/** The markers that end each step of the scripts that have steps. */
const STEPS: Record<string, StepMap> = {
  transact: {
    ends: {
      start: 'stage',
      staged: 'stage',
      backup: 'backup',
      backup4: 'backup',
      backup6: 'backup',
      tested: 'test',
      compared: 'compare (the backup read against the plan)',
      armed: 'arm watchdog',
      swapped: 'swap',
    },
    after: 'after the swap',
  },
  'confirm+persist': {
    ends: { confirmed: 'confirm', persisted: 'persist', pruned: 'persist (prune backups)' },
    after: 'after',
  },
};

interface Case {
  label: string;
  run: () => ToolRun;
  /** Untimed, untraced work after it (an unban). */
  after?: () => ToolRun;
}

/** strace of the host's sshd while `tool` runs; the trace text once the host is quiet again. */
async function traced(pid: number, file: string, tool: ToolRun, log: (s: string) => void): Promise<string> {
  const st = spawn(
    'strace',
    [
      '-f',
      '--pidns-translation',
      '-s',
      '1000000',
      '-e',
      'trace=execve,clone,clone3,fork,vfork,write',
      '-o',
      file,
      '-p',
      String(pid),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const attached = new Promise<void>((resolve, reject) => {
    st.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('attached')) resolve();
    });
    st.once('exit', (code) => reject(new Error(`strace ended (${code}): ${err.trim()}`)));
  });
  const ended = new Promise<void>((resolve) => st.once('exit', () => resolve()));
  await attached;
  const m = await measure(tool.argv, { env: tool.env, input: tool.input, timeoutMs: 300_000 });
  if (m.code !== 0) log(`warning: exit ${m.code}: ${(m.stderr || m.stdout).trim().slice(-300)}`);
  // The host is done when its trace stops growing (a channel's last processes end after the client).
  let size = -1;
  for (let quiet = 0; quiet < 4; ) {
    await sleep(250);
    const now = statSync(file).size;
    quiet = now === size ? quiet + 1 : 0;
    size = now;
  }
  st.kill('SIGINT');
  await ended;
  return readFileSync(file, 'utf8');
}

function total(c: HostCount): number {
  return c.other.processes + c.scripts.reduce((t, s) => t + s.steps.reduce((u, x) => u + x.processes, 0), 0);
}

function rows(label: string, c: HostCount): string[] {
  const out = [`| **${label}** | | **${total(c)}** | | sshd: ${c.sshd} |`];
  for (const s of c.scripts) {
    for (const st of s.steps) {
      const name = s.steps.length > 1 || st.step !== s.script ? `${s.script}: ${st.step}` : s.script;
      out.push(`| | ${name} | ${st.processes} | ${st.subshells} | ${programsText(st)} |`);
    }
  }
  if (c.other.processes)
    out.push(
      `| | (no fleet script) | ${c.other.processes} | ${c.other.subshells} | ${programsText(c.other)} |`,
    );
  return out;
}

export async function processes(ws: Workspace, set: HostSet, log: (s: string) => void): Promise<string> {
  const b = new Bench(ws, set, { reps: 1, concurrency: 1, log });
  const { tools } = b;
  b.compileVariants();
  b.useVariant(0);
  await b.untimed(tools.fleet(['apply', 'all', '--canary', '0']), 'initial apply');
  b.captureExpected(0);
  const host = set.hosts[0]!;
  const pid = sshdPid(host);
  if (pid === null) throw new Error(`bench: no sshd found on ${host.name}`);
  const addr = '198.51.100.250';
  const cases: Case[] = [
    { label: '`fleet facts all`', run: () => tools.fleet(['facts', 'all']) },
    { label: '`fleet ban ADDR`', run: () => tools.fleet(['ban', addr]) },
    { label: '`fleet unban ADDR`', run: () => tools.fleet(['unban', addr]) },
    {
      label: '`fleet apply all` (a change)',
      run: () => {
        b.nextProfile();
        return tools.fleet(['apply', 'all', '--canary', '0']);
      },
    },
    {
      label: '`fleet apply all` (nothing to change)',
      run: () => tools.fleet(['apply', 'all', '--canary', '0']),
    },
    {
      label: '`fleet audit all`',
      run: () => {
        b.useVariant(b.currentVariant);
        return tools.fleet(['audit', 'all']);
      },
    },
    {
      label: 'parallel-ssh ban',
      run: () => tools.pssh(psshBan('198.51.100.251')),
      after: () => tools.pssh(psshUnban('198.51.100.251')),
    },
    {
      label: 'parallel-ssh apply',
      run: () => tools.pssh(PSSH_APPLY, 'curve25519', b.psshApplyInput(b.nextVariant())),
      after: () => {
        b.useVariant(b.currentVariant);
        return tools.fleet(['apply', 'all', '--canary', '0']);
      },
    },
    {
      label: 'parallel-ssh audit (save | sed | diff)',
      run: () => tools.pssh(PSSH_DRIFT, 'curve25519', b.captureExpected(b.currentVariant)),
    },
  ];
  const table = [
    '| command | script: step | processes | of them subshells | programs |',
    '| --- | --- | ---: | ---: | --- |',
  ];
  for (const [i, c] of cases.entries()) {
    const text = await traced(pid, join(ws.dir, `trace-${i}.txt`), c.run(), log);
    const count = countTrace(parseTrace(text), KNOWN, STEPS);
    log(`  ${c.label}: ${total(count)} processes (sshd ${count.sshd})`);
    table.push(...rows(c.label, count));
    if (c.after) await b.untimed(c.after(), `after ${c.label}`);
  }
  return [
    '# fleet bench --processes: processes per host',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machineLine()}`,
    `- host: ${host.name} (${set.count} host), the bench profile applied; one run of each command`,
    '- counted: every process the command made the host start, from `strace -f` of its listening sshd',
    "  (the login shell that runs fleet's `sh -c` counts as the script's shell); sshd's own processes",
    '  (connection, privilege separation) apart: they are the same for any SSH client',
    '',
    table.join('\n'),
    '',
    '```',
    'npm run bench -- --processes',
    '```',
    '',
  ].join('\n');
}
