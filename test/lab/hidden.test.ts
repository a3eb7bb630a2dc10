/** Hidden hosts: on a second bridge that only the bastion (host 1) reaches; for ProxyJump. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labHostExec, labProbe, labStatus } from '../../src/lab/index.js';
import { labSsh, sshOptions, useLab } from '../support/lab.js';

/** Fixed script: $1 address; connects to port 22 and prints the banner. */
const BANNER = 'exec 3<>"/dev/tcp/$1/22" && head -n 1 <&3';

describe('lab with hidden hosts', () => {
  const lab = useLab({ name: 'thid', count: 2, hidden: 2 });

  it('lists the hidden hosts with proxy_jump to the bastion, in group hidden', async () => {
    const inv = parse(await readFile(lab().inventoryPath, 'utf8'));
    const hidden = lab().hosts.filter((h) => h.hidden);
    expect(hidden.map((h) => h.name)).toEqual([`${lab().name}-03`, `${lab().name}-04`]);
    for (const h of hidden) {
      expect(inv.hosts[h.name]).toMatchObject({
        groups: ['hidden'],
        proxy_jump: `${lab().name}-01`,
        address: h.address,
      });
    }
    expect(inv.groups.lab.children).toContain('hidden');
  });

  it('the workstation and the other hosts cannot reach a hidden host; the bastion can', async () => {
    const [bastion, web] = lab().hosts;
    const hidden = lab().hosts.find((h) => h.hidden)!;
    const direct = await labSsh(lab(), hidden.address, 'true', { extra: ['-o', 'ConnectTimeout=3'] });
    expect(direct.code).toBe(255);
    const source = lab().subnet.replace(/0\/24$/, '202');
    expect(await labProbe(lab(), { source, target: hidden.address, port: 22, timeout: 2 })).toBe(false);
    expect(await labProbe(lab(), { source, target: bastion!.address, port: 22 })).toBe(true);

    const fromWeb = await labHostExec(lab(), web!.name, [
      'timeout',
      '3',
      'bash',
      '-c',
      BANNER,
      'x',
      hidden.address,
    ]);
    expect(fromWeb.code).not.toBe(0);
    for (const addr of [hidden.address, hidden.address6]) {
      const fromBastion = await labHostExec(lab(), bastion!.name, [
        'timeout',
        '3',
        'bash',
        '-c',
        BANNER,
        'x',
        addr,
      ]);
      expect(fromBastion.stdout).toMatch(/^SSH-2\.0-/);
    }
    // The bastion does not route between its two networks.
    const fwd = await labHostExec(lab(), bastion!.name, ['cat', '/proc/sys/net/ipv4/ip_forward']);
    expect(fwd.stdout.trim()).toBe('0');
  });

  it('answers SSH through the bastion with strict host key checking', async () => {
    const bastion = lab().hosts[0]!;
    const opts = sshOptions(lab()).join(' ');
    for (const h of lab().hosts.filter((x) => x.hidden)) {
      const r = await labSsh(lab(), h.address, 'hostname', {
        extra: ['-o', `ProxyCommand=ssh ${opts} -W %h:%p root@${bastion.address}`],
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(h.name);
    }
    const s = await labStatus(lab().name);
    expect(s.hosts.every((h) => h.sshd)).toBe(true);
  });
});
