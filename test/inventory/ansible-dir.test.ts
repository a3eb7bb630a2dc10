/**
 * Ansible inventory directories, with `ansible-inventory -i DIR --list` (Debian's ansible-core)
 * as the oracle: the same groups (hosts and children), and for every host exactly the variables
 * Ansible merges (inventory files, group_vars/ and host_vars/ files and folders, Ansible's
 * precedence), then fleet's connection fields from them.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/index.js';
import { ansibleEnv } from './support.js';

const DIR = path.resolve('test/fixtures/ansible-dir');
const ENV = ansibleEnv();

type Listed = Record<string, { hosts?: string[]; children?: string[] }> & {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
};

const oracle = JSON.parse(
  execFileSync('ansible-inventory', ['-i', DIR, '--list'], { env: ENV, encoding: 'utf8' }),
) as Listed;
const fleet = loadInventory('.', { inventory: DIR, connection: () => ({}) });
const sorted = (xs: string[] | undefined) => [...(xs ?? [])].sort();

describe('an Ansible inventory directory, read as ansible-inventory --list reads it', () => {
  it('has the same groups, each with the same hosts and children', () => {
    const groups = Object.keys(oracle).filter((g) => g !== '_meta');
    for (const name of groups) {
      const g = fleet.groups.get(name);
      expect(g, name).toBeDefined();
      expect({ name, hosts: sorted(g?.hosts) }).toEqual({ name, hosts: sorted(oracle[name]!.hosts) });
      const children = sorted(g?.children).filter(
        (c) => c !== 'ungrouped' || fleet.groups.get(c)?.hosts.length,
      );
      expect({ name, children }).toEqual({
        name,
        children: sorted(oracle[name]!.children).filter((c) => c !== 'ungrouped'),
      });
    }
    const nonEmpty = [...fleet.groups.values()].filter(
      (g) => g.hosts.length || (g.name !== 'all' && g.children.length),
    );
    expect(nonEmpty.map((g) => g.name).sort()).toEqual(groups.filter((g) => g !== 'all').sort());
  });

  it('gives every host exactly the variables Ansible merges', () => {
    expect(fleet.hosts.map((h) => h.name).sort()).toEqual(Object.keys(oracle._meta.hostvars).sort());
    for (const h of fleet.hosts) {
      expect({ host: h.name, vars: h.vars }).toEqual({ host: h.name, vars: oracle._meta.hostvars[h.name] });
    }
  });

  it('maps the merged variables to connection fields, profile and settings', () => {
    const by = (name: string) => fleet.hosts.find((h) => h.name === name)!;
    const conn = (name: string) => {
      const h = by(name);
      return [h.user, h.address, h.port, h.profile];
    };
    expect(conn('web-01')).toEqual(['deploy', '192.0.2.1', 2201, 'web-servers']);
    expect(conn('db-01')).toEqual(['postgres', '192.0.2.11', 2222, 'base']);
    expect(conn('edge-01')).toEqual(['deploy', '203.0.113.9', 22, 'base']);
    expect(fleet.settings.managementSources.map((s) => s.cidr)).toEqual(['198.51.100.10/32']);
  });

  it('says which files it read (not *.ini, *.md, or a group_vars file shadowed by another)', () => {
    const rel = fleet.source.files.map((f) => path.relative(DIR, f));
    expect(rel).toEqual([
      'hosts',
      'staging.yml',
      'sub/edge',
      'group_vars/all.yml',
      'group_vars/web/main.yml',
      'group_vars/web/more',
      'group_vars/db.yaml',
      'host_vars/web-01.yml',
      'host_vars/db-01/vars.json',
    ]);
  });
});
