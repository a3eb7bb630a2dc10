import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  BACKUP_NAME,
  type BackupEntry,
  backupTime,
  parseBackupLine,
  pickAt,
  pickRollback,
} from '../../src/ops/apply/backups.js';
import { AWK_NAME_TIME, BACKUP_NAME_GLOB } from '../../src/ops/apply/paths.js';
import { markerListener } from '../../src/ops/apply/transact.js';

const names = [
  '20261120T101500.000Z-aaaaaaaaaa',
  '20261121T090000.250Z-bbbbbbbbbb',
  '20261122T013028.999Z-cccccccccc',
];

describe('backup names', () => {
  it("give the host's awk and sh the same time as fleet reads from them (every awk: no mktime)", () => {
    const some = [
      ...names,
      '20000229T235959Z-leapday',
      '19700101T000000.000Z-epoch',
      '20991231T120000.500Z-late',
      '20240301T000001Z-march',
    ];
    // printf: mawk prints a number past 2^31 with %.6g (the scripts print only differences: ages).
    const awk = execFileSync('awk', [`${AWK_NAME_TIME}\n{ printf "%.0f\\n", name_time($0) }`], {
      input: `${some.join('\n')}\n`,
      encoding: 'utf8',
    });
    expect(awk.trim().split('\n').map(Number)).toEqual(
      some.map((n) => Math.floor(backupTime(n).getTime() / 1000)),
    );
    // Only names that start with a time are read so (two patterns: with and without the ms).
    const glob = (n: string) =>
      execFileSync('sh', ['-c', `case "$1" in ${BACKUP_NAME_GLOB}) echo yes ;; *) echo no ;; esac`, 'g', n], {
        encoding: 'utf8',
      }).trim();
    expect(some.map(glob)).toEqual(some.map(() => 'yes'));
    expect(
      ['copy.v4', '20261122T0130Z-short', '20261122T013028-nozone', 'x20261122T013028Z-a'].map(glob),
    ).toEqual(['no', 'no', 'no', 'no']);
  });

  it('carry their UTC time to the millisecond', () => {
    expect(backupTime(names[1]!).toISOString()).toBe('2026-11-21T09:00:00.250Z');
    expect(backupTime('20261122T013028Z-abcd').toISOString()).toBe('2026-11-22T01:30:28.000Z');
  });

  it('refuse anything that could be a path or a shell word', () => {
    for (const bad of ['../etc/passwd', '20261122T013028Z-a b', '20261122T013028Z-$(x)', 'latest']) {
      expect(BACKUP_NAME.test(bad)).toBe(false);
    }
  });

  it('--at picks by name; a time before the oldest backup cannot be answered', () => {
    const list = entries('confirmed', 'confirmed', 'confirmed');
    expect(pickAt(list, names[0]!)).toEqual({ backup: names[0] });
    expect(pickAt(list, '2026-11-19')).toHaveProperty('none');
    expect(pickAt(list, 'not a time')).toHaveProperty('none');
  });
});

function entries(...outcomes: string[]): BackupEntry[] {
  return outcomes.map((o, i) => parseBackupLine(`${names[i]} ${o} some detail`)!);
}

describe('the outcome record picks what rollback and restore --at mean', () => {
  it('reads each backup line: a record, or unknown without one', () => {
    expect(parseBackupLine(`${names[0]} rolled-back not confirmed in time: backup restored`)).toEqual({
      name: names[0],
      outcome: 'rolled-back',
      detail: 'not confirmed in time: backup restored',
    });
    expect(parseBackupLine(`${names[0]} unknown`)?.outcome).toBe('unknown');
    expect(parseBackupLine('../etc/passwd confirmed')).toBeNull();
  });

  it('rollback: apply A, apply B, apply C rolled back → the backup of B (the rules before B)', () => {
    expect(pickRollback(entries('confirmed', 'confirmed', 'rolled-back'))).toEqual({ backup: names[1] });
    expect(pickRollback(entries('confirmed', 'aborted', 'interrupted'))).toEqual({ backup: names[0] });
    // Older backups without a record count as stayed; a failed restore may have left the change live.
    expect(pickRollback(entries('unknown', 'failed', 'rolled-back'))).toEqual({ backup: names[1] });
    expect(pickRollback(entries('rolled-back'))).toHaveProperty('none');
  });

  it('restore --at TIME: the rules live then are in the backup of the first change after it that stayed', () => {
    const list = entries('confirmed', 'rolled-back', 'confirmed');
    // Between the first and the second backup: the second was rolled back, so the third holds them.
    expect(pickAt(list, '2026-11-21T00:00Z')).toEqual({ backup: names[2] });
    expect(pickAt(list, '2026-11-21T12:00Z')).toEqual({ backup: names[2] });
    expect(pickAt(entries('confirmed', 'confirmed', 'confirmed'), '2026-11-21T00:00Z')).toEqual({
      backup: names[1],
    });
    // After the last change that stayed: the live rules are the ones.
    expect(pickAt(list, '2026-11-23')).toHaveProperty('current');
    expect(pickAt(entries('confirmed', 'confirmed', 'rolled-back'), '2026-11-21T12:00Z')).toHaveProperty(
      'current',
    );
  });
});

describe('step markers', () => {
  it('are heard whole, however the output is chunked', () => {
    const heard: string[] = [];
    const listen = markerListener((s) => heard.push(s));
    for (const chunk of ['\n@@flee', 't:backup 17000\n/var/b', 'ackups/x\n@@fleet:armed 1', '7001\nsetsid\n'])
      listen(chunk);
    expect(heard).toEqual(['backup', 'armed']);
  });
});
