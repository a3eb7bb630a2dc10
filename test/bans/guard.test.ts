import { describe, expect, it } from 'vitest';
import { parseBanTarget } from '../../src/bans/address.js';
import { findConflict, protectedRanges } from '../../src/bans/guard.js';

const ranges = protectedRanges({
  interfaces: {
    lo: [
      {
        address: '127.0.0.1',
        netmask: '255.0.0.0',
        family: 'IPv4',
        mac: '',
        internal: true,
        cidr: '127.0.0.1/8',
      },
    ],
    eth0: [
      {
        address: '192.0.2.5',
        netmask: '255.255.255.0',
        family: 'IPv4',
        mac: '',
        internal: false,
        cidr: '192.0.2.5/24',
      },
      {
        address: 'fe80::1%eth0',
        netmask: 'ffff:ffff:ffff:ffff::',
        family: 'IPv6',
        mac: '',
        internal: false,
        cidr: null,
        scopeid: 2,
      },
    ],
  },
  managementSources: ['198.51.100.0/28', '2001:db8:ffff::/48'],
  hosts: [
    { name: 'bastion', address: '203.0.113.1' },
    { name: 'dns-name', address: 'web.example.com' },
  ],
});

const conflict = (s: string) => {
  const r = parseBanTarget(s);
  if (!r.ok) throw new Error(r.message);
  return findConflict(r.target, ranges)?.why;
};

describe('ban guard', () => {
  it.each([
    ['192.0.2.5', /this workstation \(eth0/],
    ['192.0.2.0/24', /this workstation/],
    ['0.0.0.0/0', /this workstation/],
    ['198.51.100.3', /management_sources/],
    ['198.51.100.0/16', /management_sources/],
    ['2001:db8:ffff:1::1', /management_sources/],
    ['203.0.113.1', /inventory host bastion/],
    ['127.0.0.53', /loopback/],
    ['fe80::1234', /link-local/],
    ['::/0', /this workstation \(eth0 fe80::1/],
    ['169.254.169.254', /IPv4 link-local/],
    ['169.254.0.0/16', /IPv4 link-local/],
    ['0.1.2.3', /this network/],
    ['0.0.0.0/8', /unspecified/],
    ['224.0.0.251', /IPv4 multicast/],
    ['239.0.0.0/8', /IPv4 multicast/],
    ['255.255.255.255', /broadcast/],
    ['240.0.0.1', /reserved IPv4/],
    ['ff02::1', /IPv6 multicast/],
    ['ff00::/8', /IPv6 multicast/],
  ])('refuses %s', (s, why) => {
    expect(conflict(s)).toMatch(why);
  });

  it.each([
    '192.0.3.5',
    '198.51.100.16/28',
    '203.0.113.2',
    '2001:db8:fffe::/48',
    '169.255.0.1',
    '223.255.255.255',
    '1.0.0.0/8',
    'fc00::/8',
  ])('allows %s', (s) => {
    expect(conflict(s)).toBeUndefined();
  });
});
