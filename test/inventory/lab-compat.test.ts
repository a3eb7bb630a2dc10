/** The lab's inventory (written by src/lab) loads with the shipped profiles: the two halves agree. */
import { describe, expect, it } from 'vitest';
import { loadFleet, profileFor, selectHosts } from '../../src/inventory/index.js';
import { renderInventory } from '../../src/lab/inventory-writer.js';
import { shippedProfiles, writeRepo } from './support.js';

const host = (name: string, i: number, groups: string[], proxyJump?: string) => ({
  name,
  address: `10.213.7.${10 + i}`,
  address6: `fd42:f1ee:7::${10 + i}`,
  netns: `ns-${name}`,
  pid: 1,
  groups,
  proxyJump,
});

describe('lab inventory + shipped profiles', () => {
  const text = renderInventory({
    name: 'default',
    knownHostsPath: '/var/lib/fleet-lab/default/known_hosts',
    identityPath: '/var/lib/fleet-lab/default/id_ed25519',
    workstation: { v4: '10.213.7.1', v6: 'fd42:f1ee:7::1' },
    hosts: [
      host('lab-web-1', 1, ['web-servers']),
      host('lab-db-1', 2, ['db-servers']),
      host('lab-bastion-1', 3, ['bastion']),
      host('lab-hidden-1', 4, ['hidden'], 'lab-bastion-1'),
    ],
  });
  const fleet = loadFleet(writeRepo({ ...shippedProfiles(), 'inventory/lab.yaml': text }));

  it('loads, with the workstation as management source', () => {
    expect(fleet.settings.managementSources.map((s) => s.cidr)).toEqual([
      '10.213.7.1/32',
      'fd42:f1ee:7::1/128',
    ]);
    expect(selectHosts(fleet, 'lab:!hidden').map((h) => h.name)).toEqual([
      'lab-web-1',
      'lab-db-1',
      'lab-bastion-1',
    ]);
    expect(fleet.hosts.find((h) => h.name === 'lab-hidden-1')!.proxyJump).toBe('lab-bastion-1');
  });

  it('gives each role its profile', () => {
    expect(fleet.hosts.map((h) => h.profile)).toEqual(['web-servers', 'db-servers', 'bastion', undefined]);
    expect(() => profileFor(fleet, fleet.hosts[3]!)).toThrow(/host "lab-hidden-1" has no profile/);
  });
});
