/**
 * `fleet logs` on lab hosts. Netfilter's LOG target writes nothing from a network namespace
 * other than the machine's own unless net.netfilter.nf_log_all_netns=1 (a machine-wide sysctl,
 * 0 by default): this test sets it for its own duration and puts the old value back. The lab's
 * hosts share the machine's kernel log, so each host sees every host's lines (the summary counts
 * a line once), and they read it with dmesg through syslog(2) (no /dev/kmsg in a lab host's
 * /dev), which returns only the newest part of the buffer — enough for lines just written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drop } from '../../src/ops/logs/index.js';
import { fleetCli } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const SYSCTL = '/proc/sys/net/netfilter/nf_log_all_netns';
const PORTS = [40101, 40102, 40103];

/** A TCP SYN to a port the profile drops (the connection attempt times out, as it should). */
function knock(host: string, port: number): Promise<void> {
  return new Promise((done) => {
    const s = connect({ host, port, timeout: 300 });
    const end = () => {
      s.destroy();
      done();
    };
    s.on('timeout', end).on('error', end).on('connect', end);
  });
}

describe.skipIf(!existsSync(SYSCTL))('fleet logs on lab hosts', () => {
  const lab = useLab({ name: 'logs3', count: 3 });
  let dir = '';
  let before = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-logs-lab-'));
    await cp('profiles', join(dir, 'profiles'), { recursive: true });
    before = readFileSync(SYSCTL, 'utf8').trim();
  });
  afterAll(async () => {
    if (before) writeFileSync(SYSCTL, `${before}\n`);
    await rm(dir, { recursive: true, force: true });
  });

  it('summarizes the connections the hosts dropped: source, ports, every host', async () => {
    const cli = (...args: string[]) => fleetCli(dir, ...args, '-i', lab().inventoryPath);
    expect((await cli('apply', 'all')).code).toBe(0);
    writeFileSync(SYSCTL, '1\n');
    try {
      for (const [i, h] of lab().hosts.entries()) await knock(h.address, PORTS[i]!);
      await knock(lab().hosts[0]!.address6, PORTS[0]!);
    } finally {
      writeFileSync(SYSCTL, `${before}\n`);
    }
    const r = await cli('logs', 'all', '--since', '5m');
    expect(r.code, r.stderr).toBe(0);
    const { v4, v6 } = lab().workstation;
    // Other labs on this machine may log too (one kernel log): find ours wherever they rank.
    const ip = v4.replaceAll('.', '\\.');
    const [sources, ports] = r.stdout.split('top blocked ports:');
    expect(sources).toMatch(new RegExp(`\\n  \\d+ +${ip} +3 +tcp/40101, tcp/40102, tcp/40103\\n`));
    for (const p of PORTS) expect(ports).toMatch(new RegExp(`\\n  \\d+ +tcp/${p} +3 +${ip}`));
    const drops = r.report!.hosts.flatMap((h) => h.data!.drops as Drop[]);
    const mine = drops.filter((d) => PORTS.includes(d.dpt ?? 0));
    expect(new Set(mine.map((d) => `${d.src} ${d.dst} ${d.dpt}`))).toEqual(
      new Set([
        ...lab().hosts.map((h, i) => `${v4} ${h.address} ${PORTS[i]}`),
        `${v6} ${lab().hosts[0]!.address6} ${PORTS[0]}`,
      ]),
    );
    expect(r.report!.hosts.map((h) => h.detail)).toEqual(
      Array(3).fill(expect.stringMatching(/^\d+ dropped packets logged \(dmesg\)$/)),
    );
  });
});
