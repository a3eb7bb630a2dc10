/** The lab's pure parts: apt sources, addressing plan, subnet allocation, inventory text. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../../src/errors.js';
import { overlaps4, parseSubnet, planLab } from '../../src/lab/addressing.js';
import { parseDeb822, parseOneLine, pickMirror } from '../../src/lab/apt-sources.js';
import { renderInventory, renderKnownHosts } from '../../src/lab/inventory-writer.js';
import { validateLabName } from '../../src/lab/paths.js';
import { allocate } from '../../src/lab/registry.js';

describe('apt sources', () => {
  const deb822 = [
    'Types: deb',
    '# a comment',
    'URIs: http://mirror.invalid/debian',
    'Suites: bookworm bookworm-updates',
    'Components: main',
    'Signed-By: /usr/share/keyrings/k.gpg',
    '',
    'Types: deb',
    'URIs: http://mirror.invalid/debian-security',
    'Suites: bookworm-security',
    'Components: main',
  ].join('\n');

  it('reads deb822 stanzas and picks the one whose suite is the release', () => {
    const s = parseDeb822(deb822, 'x.sources');
    expect(s).toHaveLength(2);
    expect(pickMirror(s, 'bookworm')).toMatchObject({
      uris: ['http://mirror.invalid/debian'],
      signedBy: '/usr/share/keyrings/k.gpg',
    });
    expect(pickMirror(s, 'trixie')).toBeUndefined();
  });

  it('reads one-line sources with options, skipping deb-src and other suites', () => {
    const s = parseOneLine(
      'deb-src http://a.invalid/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://b.invalid/debian bookworm main # x\ndeb http://c.invalid/x nodistro main\n',
      'sources.list',
    );
    expect(pickMirror(s, 'bookworm')).toMatchObject({
      uris: ['http://b.invalid/debian'],
      signedBy: '/k.gpg',
    });
  });
});

describe('addressing plan', () => {
  it('puts the bastion first, then two web-servers to one db-server', () => {
    const p = planLab({ name: 'lab', id: 3, subnet: '10.213.3.0/24', count: 7 });
    expect(p.hosts.map((h) => h.groups[0])).toEqual([
      'bastion',
      'web-servers',
      'web-servers',
      'db-servers',
      'web-servers',
      'web-servers',
      'db-servers',
    ]);
    expect(p.hosts[0]).toMatchObject({
      name: 'lab-01',
      address: '10.213.3.10',
      address6: 'fdf1:ee70:ad5:3::10',
    });
    expect(p.workstation).toEqual({ v4: '10.213.3.1', v6: 'fdf1:ee70:ad5:3::1' });
    expect(p.subnet6).toBe('fdf1:ee70:ad5:3::/64');
    expect(p.hosts[6]!.veth).toBe('fl3v7');
  });

  it('writes v6 addresses in canonical form and pads names to 3 digits past 99', () => {
    const p = planLab({ name: 'big', id: 0, subnet: '10.213.0.0/24', count: 200 });
    expect(p.hosts[0]!.name).toBe('big-001');
    expect(p.hosts[199]).toMatchObject({ name: 'big-200', address: '10.213.0.209' });
    expect(p.subnet6).toBe('fdf1:ee70:ad5::/64');
    for (const h of p.hosts) expect(h.veth.length).toBeLessThanOrEqual(15);
  });

  it('one group for all with `group`; hidden hosts behind the bastion on their own /27', () => {
    const p = planLab({
      name: 'h',
      id: 1,
      subnet: '10.213.1.0/24',
      count: 2,
      hidden: 2,
      group: 'web-servers',
    });
    expect(p.hosts.map((h) => h.groups[0])).toEqual(['web-servers', 'web-servers', 'hidden', 'hidden']);
    expect(p.hosts[0]!.second).toEqual({
      address: '10.213.1.225',
      address6: 'fdf1:ee70:ad5:1::1:225',
      veth: 'fl1b',
    });
    expect(p.hosts[2]).toMatchObject({
      address: '10.213.1.226',
      prefix4: 27,
      proxyJump: 'h-01',
      bridge: 'flh1',
    });
  });

  it('refuses bad subnets, counts and names', () => {
    expect(() => parseSubnet('8.8.8.0/24')).toThrow(InputError);
    expect(() => parseSubnet('10.1.2.0/16')).toThrow(/IPv4 \/24/);
    expect(() => parseSubnet('10.1.2.3/24')).toThrow(InputError);
    expect(() => planLab({ name: 'x', id: 0, subnet: '10.213.0.0/24', count: 0 })).toThrow(InputError);
    expect(() => planLab({ name: 'x', id: 0, subnet: '10.213.0.0/24', count: 215 })).toThrow(/1 to 214/);
    expect(() => validateLabName('Lab;rm')).toThrow(InputError);
    expect(() => validateLabName('lab-')).toThrow(InputError);
    expect(validateLabName('lab-2')).toBe('lab-2');
  });

  it('overlap of IPv4 prefixes', () => {
    expect(overlaps4('10.213.0.0/16', '10.213.5.0/24')).toBe(true);
    expect(overlaps4('10.213.4.0/24', '10.213.5.0/24')).toBe(false);
    expect(overlaps4('192.0.2.0/24', '10.213.5.0/24')).toBe(false);
  });
});

describe('subnet allocation', () => {
  it('gives each lab its own id and /24, keeps a lab its own, refuses a taken subnet', () => {
    const labs = { a: { id: 0, subnet: '10.213.0.0/24' }, b: { id: 1, subnet: '10.213.1.0/24' } };
    expect(allocate(labs, 'a')).toEqual(labs.a);
    expect(allocate(labs, 'c')).toEqual({ id: 2, subnet: '10.213.2.0/24' });
    expect(
      allocate({ x: { id: 0, subnet: '10.213.0.0/24' }, y: { id: 2, subnet: '10.213.1.0/24' } }, 'z'),
    ).toEqual({
      id: 1,
      subnet: '10.213.2.0/24',
    });
    expect(() => allocate(labs, 'c', '10.213.1.0/24')).toThrow(/used by lab "b"/);
    expect(allocate(labs, 'c', '192.168.77.0/24')).toEqual({ id: 2, subnet: '192.168.77.0/24' });
  });
});

describe('inventory', () => {
  const p = planLab({ name: 'lab', id: 0, subnet: '10.213.0.0/24', count: 4, hidden: 1 });
  const hosts = p.hosts.map((h) => ({
    name: h.name,
    address: h.address,
    address6: h.address6,
    netns: h.netns,
    pid: 1,
    groups: h.groups,
    ...(h.hidden ? { hidden: true } : {}),
    ...(h.proxyJump ? { proxyJump: h.proxyJump } : {}),
  }));
  const lab = {
    name: 'lab',
    knownHostsPath: '/s/known_hosts',
    identityPath: '/s/id_ed25519',
    workstation: p.workstation,
    hosts,
  };

  it('is the native format: settings, defaults, groups with profiles, a parent group, hosts', () => {
    const inv = parse(renderInventory(lab));
    expect(inv.settings).toEqual({
      known_hosts: '/s/known_hosts',
      management_sources: ['10.213.0.1/32', 'fdf1:ee70:ad5::1/128'],
    });
    expect(inv.defaults).toEqual({ user: 'root', identity: '/s/id_ed25519' });
    expect(inv.groups).toEqual({
      'web-servers': { profile: 'web-servers' },
      'db-servers': { profile: 'db-servers' },
      bastion: { profile: 'bastion' },
      hidden: {},
      lab: { children: ['web-servers', 'db-servers', 'bastion', 'hidden'] },
    });
    expect(inv.hosts['lab-05']).toEqual({
      address: '10.213.0.226',
      groups: ['hidden'],
      proxy_jump: 'lab-01',
      vars: { address6: 'fdf1:ee70:ad5::1:226' },
    });
  });

  it('known_hosts names each host by name and both addresses', () => {
    const text = renderKnownHosts([{ ...hosts[0]!, publicKey: 'ssh-ed25519 AAAAkey root@lab-01' }]);
    expect(text).toBe('lab-01,10.213.0.10,fdf1:ee70:ad5::10 ssh-ed25519 AAAAkey\n');
  });
});
