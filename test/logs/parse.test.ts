/**
 * The kernel's LOG lines, parsed and summed up. test/fixtures/logs/dmesg-iso.txt holds REAL
 * lines: recorded with `dmesg --time-format iso` on this machine while lab hosts (Debian 12,
 * fleet's base profile, prefix "fleet-drop: ") dropped TCP connections from the workstation over
 * IPv4 and IPv6 (with net.netfilter.nf_log_all_netns=1). logs-script-output.txt is the logs
 * script's real output on a lab host (MAX 3). The journal and kern.log forms below put the same
 * real payload behind the time stamps those sources write (systemd's short-iso-precise, rsyslog
 * RFC 3339 and traditional): no journal or rsyslog runs here to record them from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  lineTime,
  parseDrop,
  parseLogsOutput,
  renderDropSummary,
  summarizeDrops,
} from '../../src/ops/logs/index.js';

const PREFIX = 'fleet-drop: ';
const real = readFileSync('test/fixtures/logs/dmesg-iso.txt', 'utf8').trim().split('\n');
const NOW = Date.parse('2026-11-22T02:00:00Z');
const drops = real.map((l) => parseDrop(l, PREFIX, NOW)!);

describe('LOG lines', () => {
  it('parses every recorded line: time, addresses (IPv6 compressed), protocol, ports, ID or flow label', () => {
    expect(drops.every((d) => d !== null)).toBe(true);
    expect(drops[0]).toEqual({
      t: Date.parse('2026-11-22T01:38:57.508Z'),
      src: '10.213.21.1',
      dst: '10.213.21.11',
      proto: 'tcp',
      spt: 55864,
      dpt: 31337,
      in: 'eth0',
      id: '8066',
    });
    const v6 = drops.find((d) => d.dpt === 5555)!;
    expect(v6).toMatchObject({
      src: 'fdf1:ee70:ad5:15::1',
      dst: 'fdf1:ee70:ad5:15::11',
      proto: 'tcp',
      id: '347249',
    });
  });

  it('reads the time the journal and rsyslog put in front', () => {
    const payload = real[0]!.slice(real[0]!.indexOf(PREFIX));
    const journal = `2026-11-22T01:38:57.508112+00:00 web-01 kernel: ${payload}`;
    const rfc3339 = `2026-11-22T02:38:57.508112+01:00 web-01 kernel: [ 2564.430587] ${payload}`;
    const traditional = `Nov 22 02:38:57 web-01 kernel: [ 2564.430587] ${payload}`;
    for (const line of [journal, rfc3339]) expect(parseDrop(line, PREFIX, NOW)).toEqual(drops[0]);
    expect(parseDrop(traditional, PREFIX, NOW, '+0100')!.t).toBe(Date.parse('2026-11-22T01:38:57Z'));
    expect(lineTime('Dec 31 23:59:59 h kernel: ', NOW)).toBe(Date.parse('2025-12-31T23:59:59Z')); // no year: the past one
    expect(lineTime('[ 12.5] ', NOW)).toBeNull();
  });

  it('skips lines that are not LOG lines with SRC, DST and PROTO', () => {
    expect(
      parseDrop('2026-11-22T01:38:57,5+00:00 flb13: port 21 entered blocking state', PREFIX, NOW),
    ).toBeNull();
    expect(parseDrop('fleet-drop: IN=eth0 OUT= SRC=1.2.3.4', PREFIX, NOW)).toBeNull();
  });

  it("parses the logs script's real output", () => {
    const log = parseLogsOutput(readFileSync('test/fixtures/logs/logs-script-output.txt', 'utf8'));
    expect(log).toMatchObject({ source: 'dmesg', count: 5, zone: '+0000' });
    expect(log.lines).toHaveLength(3);
    expect(log.lines.map((l) => parseDrop(l, PREFIX, log.now * 1000)!.dpt)).toEqual([23, 5900, 8443]);
  });
});

describe('the fleet summary', () => {
  it('counts a line seen on several hosts once, then ranks sources and ports', () => {
    // As in the lab: every host reads the one kernel log, so each host reports every line.
    const s = summarizeDrops(
      ['a', 'b', 'c'].map((host) => ({ host, drops })),
      3,
    );
    expect(s.total).toBe(12);
    expect(s.sources).toEqual([
      { key: '10.213.21.1', count: 8, hosts: 3, related: ['tcp/23', 'tcp/31337', 'tcp/8081'] },
      { key: 'fdf1:ee70:ad5:15::1', count: 4, hosts: 3, related: ['tcp/5555', 'tcp/8443'] },
    ]);
    expect(s.ports.map((p) => `${p.key} ${p.count}`)).toEqual(['tcp/5555 3', 'tcp/23 2', 'tcp/31337 2']);
  });

  it('renders the tables', () => {
    const s = summarizeDrops([{ host: 'a', drops: drops.slice(0, 4) }], 10);
    expect(renderDropSummary(s, 1, '2026-11-22T01:00:00.000Z')).toBe(
      [
        'dropped packets logged since 2026-11-22T01:00:00.000Z: 4 on 1 host (a line seen on several hosts counts once)',
        '',
        'top blocked sources:',
        '  COUNT  SOURCE       HOSTS  PORTS',
        '  4      10.213.21.1  1      tcp/31337, tcp/8081',
        '',
        'top blocked ports:',
        '  COUNT  PORT       HOSTS  SOURCES',
        '  2      tcp/31337  1      10.213.21.1',
        '  2      tcp/8081   1      10.213.21.1',
        '',
        '',
      ].join('\n'),
    );
  });
});
