/**
 * Where the time goes.
 *  1. Round trips: sshd on the first hosts logs at DEBUG1 (restarted so), and for each command
 *     the bench counts, per host, the connections ("Accepted publickey"), exec channels
 *     ("request exec") and subsystem channels (sftp, Ansible's file copies) that sshd saw.
 *  2. CPU: each fleet command once more under `node --cpu-prof`, on every host of the set, with
 *     its total CPU from the cgroup; the profiles summarized by category and top frames.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labHostExec, labStartSshd, labStopSshd } from '../../src/lab/index.js';
import { Bench, type Check, fleetAll } from './compare.js';
import { profileTables, summarizeProfiles } from './cpuprofile.js';
import { measure } from './measure.js';
import type { Row } from './report.js';
import { machineLine } from './report.js';
import { PSSH_APPLY, PSSH_DRIFT, psshBan, psshUnban, type ToolRun } from './tools.js';
import { type HostSet, hostSet, type Workspace } from './workspace.js';

const TRACED = 5;

interface Counts {
  connections: number;
  exec: number;
  subsystem: number;
}

function logFile(ws: Workspace, host: string): string {
  const lab = ws.labs.find((l) => l.hosts.some((h) => h.name === host))!;
  return join(lab.stateDir, 'hosts', host, 'upper', 'var', 'log', 'sshd.log');
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  const size = sizeOf(file);
  if (size <= offset) return '';
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

function count(text: string): Counts {
  const n = (re: RegExp) => (text.match(re) ?? []).length;
  return {
    connections: n(/^Accepted publickey for /gm),
    exec: n(/request exec reply/g),
    subsystem: n(/request subsystem reply/g),
  };
}

/** sshd at DEBUG1 on the traced hosts; it logs to /var/log/sshd.log inside the host. */
async function traceSshd(ws: Workspace, set: HostSet): Promise<void> {
  for (const h of set.hosts) {
    const lab = ws.labs.find((l) => l.hosts.some((x) => x.name === h.name))!;
    const r = await labHostExec(lab, h.name, [
      'sh',
      '-c',
      'grep -q "^LogLevel" /etc/ssh/sshd_config || echo "LogLevel DEBUG1" >> /etc/ssh/sshd_config',
    ]);
    if (!r.ok) throw new Error(`bench: could not set LogLevel on ${h.name}: ${r.stderr}`);
    await labStopSshd(lab, h.name, 'TERM');
    await labStartSshd(lab, h.name);
  }
}

async function roundTrips(b: Bench, traced: HostSet, log: (s: string) => void): Promise<string> {
  const { tools } = b;
  await traceSshd(b.ws, traced);
  const expectedFile = () => join(b.ws.dir, `expected-${b.currentVariant}.rules`);
  const cases: [string, () => ToolRun][] = [
    ['parallel-ssh `true`', () => tools.pssh('true')],
    ['`fleet facts all`', () => tools.fleet(['facts', 'all'])],
    ['`fleet plan all`', () => tools.fleet(['plan', 'all'])],
    ['`fleet ban ADDR`', () => tools.fleet(['ban', '198.51.100.250'])],
    ['`fleet unban ADDR`', () => tools.fleet(['unban', '198.51.100.250'])],
    [
      '`fleet apply all`',
      () => {
        b.nextProfile();
        return tools.fleet(['apply', 'all']);
      },
    ],
    ['`fleet audit all`', () => tools.fleet(['audit', 'all'])],
    ['parallel-ssh ban', () => tools.pssh(psshBan('198.51.100.251'))],
    ['parallel-ssh apply', () => tools.pssh(PSSH_APPLY, 'curve25519', b.psshApplyInput(b.nextVariant()))],
    [
      'parallel-ssh drift',
      () => {
        b.useVariant(b.currentVariant);
        return tools.pssh(PSSH_DRIFT, 'curve25519', b.captureExpected(b.currentVariant));
      },
    ],
    [
      'ansible ban (ad-hoc iptables)',
      () =>
        tools.ansible(
          'ansible.builtin.iptables',
          'chain=INPUT source=198.51.100.252 jump=DROP action=insert',
        ),
    ],
    [
      'ansible-playbook apply',
      () => {
        const v = b.nextVariant();
        return tools.playbook(b.playbooks.apply, {
          rules_v4: join(b.ws.dir, `rules-${v}.v4`),
          rules_v6: join(b.ws.dir, `rules-${v}.v6`),
        });
      },
    ],
    [
      'ansible-playbook drift',
      () => {
        b.captureExpected(b.currentVariant);
        return tools.playbook(b.playbooks.drift, { expected: expectedFile() });
      },
    ],
  ];
  const out = [
    `Per host, as the hosts' sshd logged them (LogLevel DEBUG1 on ${traced.count} hosts; every host showed the same counts unless a range is given):`,
    '',
    '| command | connections | exec channels | subsystem channels (sftp) | wall s on these hosts |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [label, run] of cases) {
    const files = traced.hosts.map((h) => logFile(b.ws, h.name));
    const tool = run();
    const before = files.map(sizeOf);
    const m = await measure(tool.argv, { env: tool.env, input: tool.input });
    if (m.code !== 0) log(`warning: ${label} exited ${m.code}: ${(m.stderr || m.stdout).slice(-300)}`);
    const per = files.map((f, i) => count(readFrom(f, before[i]!)));
    const span = (k: keyof Counts) => {
      const xs = per.map((c) => c[k]);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return lo === hi ? String(lo) : `${lo}–${hi}`;
    };
    out.push(
      `| ${label} | ${span('connections')} | ${span('exec')} | ${span('subsystem')} | ${m.wallS.toFixed(2)} |`,
    );
    log(`  ${label}: ${JSON.stringify(per[0])}`);
  }
  await measure(tools.fleet(['unban', '198.51.100.250']).argv);
  await measure(tools.pssh(`${psshUnban('198.51.100.251')}; ${psshUnban('198.51.100.252')}`).argv);
  return out.join('\n');
}

async function cpuProfiles(b: Bench, log: (s: string) => void): Promise<string> {
  const { tools } = b;
  const n = b.set.count;
  const dirs: string[] = [];
  const sections: string[] = [];
  const cases: [string, string[], Check][] = [
    ['fleet facts all', ['facts', 'all'], fleetAll(n, 'ok')],
    ['fleet ban ADDR', ['ban', '198.51.100.253'], fleetAll(n, 'changed')],
    ['fleet apply all', ['apply', 'all'], fleetAll(n, 'changed')],
    ['fleet audit all', ['audit', 'all'], fleetAll(n, 'ok')],
  ];
  for (const [label, args, check] of cases) {
    const dir = mkdtempSync(join(b.ws.dir, 'prof-'));
    dirs.push(dir);
    if (args[0] === 'apply') b.nextProfile();
    const row: Row = { id: label, group: 'profile', label, samples: [] };
    const s = await b.sample(row, tools.fleet(args, ['--cpu-prof', `--cpu-prof-dir=${dir}`]), check);
    if (args[0] === 'ban') await measure(tools.fleet(['unban', '198.51.100.253']).argv);
    log(
      `  profiled ${label}: ${s.wallS.toFixed(2)} s, ${s.cpuS.toFixed(2)} s CPU${s.problem ? ` PROBLEM ${s.problem}` : ''}`,
    );
    const files = readdirSync(dir).map((f) => join(dir, f));
    sections.push(
      `### \`${label}\` on ${n} hosts`,
      '',
      `cgroup: ${s.wallS.toFixed(2)} s wall, ${s.cpuS.toFixed(2)} s CPU (user ${s.userS.toFixed(2)} + sys ${s.sysS.toFixed(2)}), ${s.peakMB.toFixed(0)} MB peak (with the profiler on).`,
      '',
      profileTables(summarizeProfiles(files)),
      '',
    );
  }
  const all = dirs.flatMap((d) => readdirSync(d).map((f) => join(d, f)));
  sections.push('### All four together', '', profileTables(summarizeProfiles(all), 25), '');
  return sections.join('\n');
}

export async function profile(ws: Workspace, set: HostSet, log: (s: string) => void): Promise<string> {
  const b = new Bench(ws, set, { reps: 1, concurrency: set.count, log });
  b.compileVariants();
  b.useVariant(0);
  await measure(b.tools.fleet(['apply', 'all', '--canary', '0']).argv);
  b.captureExpected(0);
  const traced = hostSet(ws, Math.min(TRACED, set.count));
  const tb = new Bench(ws, traced, { reps: 1, concurrency: traced.count, log });
  tb.compiled.push(...b.compiled);
  log('round trips');
  const trips = await roundTrips(tb, traced, log);
  b.useVariant(tb.currentVariant);
  await measure(b.tools.fleet(['apply', 'all', '--canary', '0']).argv);
  log('cpu profiles');
  const cpu = await cpuProfiles(b, log);
  return [
    `# fleet bench --profile: ${set.count} hosts`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machineLine()}`,
    '',
    '## Round trips per host',
    '',
    trips,
    '',
    '## CPU profiles (`node --cpu-prof`, main thread)',
    '',
    cpu,
  ].join('\n');
}
