/**
 * `fleet schedule audit`: the period as a calendar or an interval, systemd's quoting, the unit
 * text, the crontab entry (whose words must reach /bin/sh exactly), and systemd-analyze verify
 * accepting the units (the one assertion skipped where the binary is absent).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { cronCommand, cronEntry, withCronEntry } from '../../src/schedule/cron.js';
import { cronFields, parseEvery, randomDelay } from '../../src/schedule/every.js';
import { planSchedule, type ScheduleInput, unitSpec } from '../../src/schedule/plan.js';
import { formatSpan, parseSpan } from '../../src/schedule/span.js';
import { serviceUnit, systemdEnv, systemdWord, timerUnit } from '../../src/schedule/systemd.js';

const HOSTILE = [
  'a b',
  '100%',
  '$HOME',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${...} is one of the hostile values
  '${PATH}',
  'say "hi"',
  'back\\slash',
  "it's",
  '*',
  ';rm -rf /',
  '`id`',
];

const INPUT: ScheduleInput = {
  selector: 'web-*',
  dir: '/srv/fleet',
  every: '1d',
  format: 'prom',
  out: '/var/lib/node_exporter/textfile/fleet audit.prom',
  program: ['/usr/bin/node', '/opt/fleet/bin/fleet.js'],
  home: '/root',
};

describe('spans and periods', () => {
  it('reads spans and writes them back', () => {
    expect(parseSpan('--x', '1d12h')).toBe(129_600);
    expect(formatSpan(129_600)).toBe('1d12h');
    expect(() => parseSpan('--every', '1 day')).toThrow(InputError);
    expect(() => parseSpan('--every', '1d')).not.toThrow();
  });

  it('spans that divide the clock become calendars, others intervals', () => {
    const cal = (t: string) => {
      const e = parseEvery(t);
      return e.kind === 'calendar' ? e.onCalendar : `interval ${e.seconds}`;
    };
    expect(cal('1d')).toBe('*-*-* 02:00:00');
    expect(cal('24h')).toBe('*-*-* 02:00:00');
    expect(cal('1w')).toBe('Mon *-*-* 02:00:00');
    expect(cal('6h')).toBe('*-*-* 00/6:00:00');
    expect(cal('15m')).toBe('*-*-* *:00/15:00');
    expect(cal('90m')).toBe('interval 5400');
    expect(cal('2d')).toBe('interval 172800');
    expect(() => parseEvery('1m')).toThrow(/must be at least 5m/);
    expect(() => parseEvery('5w')).toThrow(/must be at most 28d/);
  });

  it('cron fields, spread by a minute; cron refuses uneven spans', () => {
    expect(cronFields(parseEvery('1d'), 17)).toBe('17 2 * * *');
    expect(cronFields(parseEvery('1w'), 5)).toBe('5 2 * * 1');
    expect(cronFields(parseEvery('6h'), 61)).toBe('1 */6 * * *');
    expect(cronFields(parseEvery('15m'), 37)).toBe('7-59/15 * * * *');
    expect(() => cronFields(parseEvery('90m'), 0)).toThrow(/cron cannot run something every 1h30m/);
    expect(randomDelay(parseEvery('1d'))).toBe(3600);
    expect(randomDelay(parseEvery('15m'))).toBe(90);
  });
});

describe('systemd quoting and units', () => {
  it('quotes ExecStart words: C escapes, %% and $$; Environment= keeps $', () => {
    expect(systemdWord('a b')).toBe('"a b"');
    expect(systemdWord('100%')).toBe('"100%%"');
    expect(systemdWord('$HOME')).toBe('"$$HOME"');
    expect(systemdWord('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"');
    expect(systemdEnv('HOME', '/home/a $b%')).toBe('"HOME=/home/a $b%%"');
    expect(() => systemdWord('two\nlines')).toThrow(/control character/);
    expect(() => systemdEnv('BAD-NAME', 'x')).toThrow(/bad environment variable name/);
  });

  it('writes the service and the timer', () => {
    const s = planSchedule(INPUT);
    const u = unitSpec(s);
    expect(serviceUnit(u)).toContain(
      'ExecStart="/usr/bin/node" "/opt/fleet/bin/fleet.js" "-C" "/srv/fleet" "audit" "web-*" "--format" "prom" "--out" "/var/lib/node_exporter/textfile/fleet audit.prom"\n',
    );
    expect(serviceUnit(u)).toContain('\nType=oneshot\nEnvironment="HOME=/root"\n');
    expect(timerUnit(u)).toContain(
      '[Timer]\nOnCalendar=*-*-* 02:00:00\nPersistent=true\nRandomizedDelaySec=3600\nAccuracySec=1min\nUnit=fleet-audit.service\n',
    );
    const interval = planSchedule({ ...INPUT, every: '90m', name: 'web' });
    const t = timerUnit({ ...u, name: interval.unit, every: interval.every, everyText: '90m' });
    expect(t).toContain('OnBootSec=900\nOnUnitActiveSec=5400\nRandomizedDelaySec=540\n');
    expect(t).toContain('Unit=fleet-audit-web.service');
  });

  it('checks what it schedules, every problem an input error', () => {
    expect(() => planSchedule({ ...INPUT, name: 'Web Servers' })).toThrow(InputError);
    expect(() => planSchedule({ ...INPUT, format: 'yaml' })).toThrow(/unknown report format "yaml"/);
    expect(() => planSchedule({ ...INPUT, backupMaxAge: 'soon' })).toThrow(InputError);
    expect(() => planSchedule({ ...INPUT, selector: 'a\nb' })).toThrow(/control character/);
    expect(() => planSchedule({ ...INPUT, out: 'relative.prom' })).toThrow(/must be an absolute path/);
  });

  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find(existsSync);
  it.skipIf(!analyze)('systemd-analyze verify accepts the units, hostile values included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-units-'));
    const s = planSchedule({
      ...INPUT,
      program: [process.execPath, '/opt/fleet/bin/fleet.js'],
      selector: HOSTILE.join(' '),
      out: `/tmp/${HOSTILE.join('')}.prom`,
    });
    const u = unitSpec(s);
    await writeFile(join(dir, 'fleet-audit.service'), serviceUnit(u));
    await writeFile(join(dir, 'fleet-audit.timer'), timerUnit(u));
    const r = spawnSync(analyze!, ['verify', 'fleet-audit.service', 'fleet-audit.timer'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // And it does refuse a broken one (so the assertion above can fail).
    await writeFile(
      join(dir, 'fleet-audit.service'),
      serviceUnit(u).replace(/^ExecStart=(.*)"$/m, 'ExecStart=$1'),
    );
    const bad = spawnSync(analyze!, ['verify', 'fleet-audit.service'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('Unbalanced quoting');
  });
});

describe('cron', () => {
  it('every word reaches /bin/sh exactly as given, after cron turns \\% back into %', () => {
    const argv = ['/bin/sh', '-c', 'for a; do printf "[%s]\\n" "$a"; done', 'sh', ...HOSTILE];
    const line = cronCommand(argv);
    expect(line).not.toMatch(/(^|[^\\])%/); // cron would cut the command at a bare %
    const asCronRunsIt = line.replaceAll('\\%', '%');
    const out = execFileSync('/bin/sh', ['-c', asCronRunsIt], { encoding: 'utf8' });
    expect(out).toBe(HOSTILE.map((w) => `[${w}]\n`).join(''));
  });

  it('the entry is marked, and installing replaces only its own', () => {
    const s = planSchedule(INPUT);
    const entry = cronEntry(s.unit, s.every, s.argv);
    expect(entry).toMatch(
      /^# fleet-schedule fleet-audit \(.*\)\n\d{1,2} 2 \* \* \* '\/usr\/bin\/node' '\/opt\/fleet\/bin\/fleet\.js' '-C' '\/srv\/fleet' 'audit' 'web-\*'/,
    );
    expect(cronEntry(s.unit, s.every, s.argv)).toBe(entry); // the spread minute is stable
    const mine = '0 1 * * * backup.sh\n';
    const once = withCronEntry(mine, s.unit, entry);
    expect(once).toBe(`${mine}${entry}`);
    const other = cronEntry('fleet-audit-db', s.every, [...s.argv, 'x']);
    const twice = withCronEntry(
      withCronEntry(once, 'fleet-audit-db', other),
      s.unit,
      entry.replace(' 2 * * *', ' 3 * * *'),
    );
    expect(twice.split('\n').filter((l) => l.startsWith('# fleet-schedule'))).toHaveLength(2);
    expect(twice).toContain(' 3 * * * ');
    expect(twice).not.toContain(entry);
    expect(twice.startsWith(mine)).toBe(true);
  });
});
