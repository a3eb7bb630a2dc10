import { describe, expect, it } from 'vitest';
import { BACKUP_NAME, backupTime, pickBackup } from '../../src/ops/apply/backups.js';
import { markerListener } from '../../src/ops/apply/transact.js';

const names = [
  '20261120T101500.000Z-aaaaaaaaaa',
  '20261121T090000.250Z-bbbbbbbbbb',
  '20261122T013028.999Z-cccccccccc',
];

describe('backup names', () => {
  it('carry their UTC time to the millisecond', () => {
    expect(backupTime(names[1]!).toISOString()).toBe('2026-11-21T09:00:00.250Z');
    expect(backupTime('20261122T013028Z-abcd').toISOString()).toBe('2026-11-22T01:30:28.000Z');
  });

  it('refuse anything that could be a path or a shell word', () => {
    for (const bad of ['../etc/passwd', '20261122T013028Z-a b', '20261122T013028Z-$(x)', 'latest']) {
      expect(BACKUP_NAME.test(bad)).toBe(false);
    }
  });

  it('--at picks by name, or the newest at or before a time', () => {
    expect(pickBackup(names, names[0]!)).toBe(names[0]);
    expect(pickBackup(names, '2026-11-21T12:00Z')).toBe(names[1]);
    expect(pickBackup(names, '2026-11-21T09:00:00.250Z')).toBe(names[1]);
    expect(pickBackup(names, '2026-11-19')).toBeUndefined();
    expect(pickBackup(names, 'not a time')).toBeUndefined();
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
