/** The shipped profiles follow hardening practice, in the lab and in production alike. */
import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../../src/profiles/index.js';
import { MGMT } from './support.js';

const shipped = loadProfiles('.', { managementSources: MGMT });
const ROLES = ['base', 'web-servers', 'db-servers', 'bastion'];

describe('shipped profiles', () => {
  it('are the four roles', () => {
    expect([...shipped.keys()].sort()).toEqual([...ROLES].sort());
  });

  it.each(ROLES)('%s drops by default, rate-limits and restricts SSH, logs drops', (name) => {
    const p = shipped.get(name)!;
    expect(p.policies).toEqual({ input: 'DROP', forward: 'DROP', output: 'ACCEPT' });
    expect(p.ssh.port).toBe(22);
    expect(p.ssh.rateLimit?.hits).toBeLessThanOrEqual(4);
    const cidrs = p.ssh.sources.map((s) => s.cidr);
    expect(cidrs).toEqual(expect.arrayContaining(MGMT.map((s) => s.cidr)));
    // A source remembers the set the profile named (the outermost one), for rule comments.
    const named = name === 'bastion' ? 'management' : 'ssh-clients';
    expect(p.ssh.sources.filter((s) => s.set === named).map((s) => s.cidr)).toEqual(
      expect.arrayContaining(cidrs.slice(0, 2)),
    );
    expect(p.icmp).toEqual({ ping: true, rate: '5/sec' });
    expect(p.log).toEqual({ prefix: 'fleet-drop: ', limit: '5/min', burst: 10 });
    expect(p.preserve).toEqual(['known-owners']); // every known owner's chains (docs/coexistence.md)
    expect(p.lineage[0]).toBe('base');
  });

  it('open only the ports each role needs', () => {
    const ports = (n: string) => shipped.get(n)!.services.map((s) => `${s.name}/${s.proto}:${s.ports.from}`);
    expect(ports('base')).toEqual(['node-exporter/tcp:9100']);
    expect(ports('web-servers')).toEqual([
      'node-exporter/tcp:9100',
      'http/tcp:80',
      'https/tcp:443',
      'https/udp:443',
    ]);
    expect(ports('db-servers')).toEqual(['node-exporter/tcp:9100', 'postgres/tcp:5432']);
    expect(ports('bastion')).toEqual(['node-exporter/tcp:9100']);
  });

  it('keep the database and the exporter off the internet', () => {
    for (const p of shipped.values()) {
      for (const s of p.services.filter((x) => x.name !== 'http' && x.name !== 'https')) {
        expect(s.sources.length, `${p.name} ${s.name}`).toBeGreaterThan(0);
      }
    }
  });

  it('carry IPv4 and IPv6 sources side by side, remembering their set', () => {
    const db = shipped.get('db-servers')!.services.find((s) => s.name === 'postgres')!;
    expect(db.sources).toEqual([
      { cidr: '192.0.2.0/26', family: 4, set: 'app-networks' },
      { cidr: '2001:db8:a::/64', family: 6, set: 'app-networks' },
    ]);
  });

  it('refuse to load without management sources, naming where `management` is used', () => {
    expect(() => loadProfiles('.', { managementSources: [] })).toThrow(
      /profiles\/sets\.yaml:\d+:\d+ .*"management" is empty \(the inventory has no settings\.management_sources\)/,
    );
  });
});
