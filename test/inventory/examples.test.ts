import { describe, expect, it } from 'vitest';
import { loadBanContext } from '../../src/bans/context.js';
import { precompile } from '../../src/cli/compile-hosts.js';
import { openPool } from '../../src/cli/fleet-context.js';
import { InputError } from '../../src/errors.js';
import { loadFleet, profileFor, selectHosts } from '../../src/inventory/index.js';

describe('inventory/example/ (the shipped example fleet with the shipped profiles)', () => {
  const fleet = loadFleet('.', { inventory: 'inventory/example', connection: () => ({}) });

  it('loads every host of every file', () => {
    expect(fleet.hosts).toHaveLength(19);
    expect(fleet.settings.managementSources.map((s) => s.cidr)).toEqual([
      '198.51.100.10/32',
      '2001:db8:ad::10/128',
    ]);
  });

  it('resolves groups through children and the nearest profile', () => {
    const web = fleet.hosts.find((h) => h.name === 'web-eu-01')!;
    expect(web.groups).toEqual(['web-servers', 'prod-eu', 'prod', 'eu']);
    expect(profileFor(fleet, web).lineage).toEqual(['base', 'web-servers']);
    expect(fleet.hosts.find((h) => h.name === 'mon-eu-01')!.profile).toBe('base');
  });

  it('applies per-file defaults', () => {
    const stg = fleet.hosts.find((h) => h.name === 'stg-web-01')!;
    expect([stg.user, stg.port, stg.sudo]).toEqual(['root', 22, false]);
    expect(stg.identity).toMatch(/fleet_staging_ed25519$/);
    const prod = fleet.hosts.find((h) => h.name === 'db-us-01')!;
    expect([prod.user, prod.port, prod.sudo]).toEqual(['deploy', 22, true]);
  });

  it('selects with intersection and exclusion', () => {
    expect(selectHosts(fleet, 'prod:&eu:!db*').map((h) => h.name)).toEqual([
      'bastion-eu-1',
      'web-eu-01',
      'web-eu-02',
      'web-eu-03',
      'mon-eu-01',
    ]);
  });

  it('compiles for every host, lockout guard included', () => {
    expect(() =>
      precompile(fleet, fleet.hosts, { bans: [], entries: [], file: 'bans.yaml', positions: new Map() }, {}),
    ).not.toThrow();
  });

  it('is never connected to: the pool and the ban list refuse it before anything is sent', () => {
    expect(fleet.settings.example).toBe(true);
    // Constructing the pool opens no connection; refusing here is what stops plan, apply, audit.
    expect(() => openPool(fleet, { dir: '.' })).toThrow(InputError);
    expect(() => openPool(fleet, { dir: '.' })).toThrow(/example fleet .* never connects to it/);
    expect(() => loadBanContext({ dir: '.', inventory: 'inventory/example' })).toThrow(/example fleet/);
  });
});
