/**
 * Builds inventory definitions the way Ansible's InventoryData does (add_group, add_host,
 * add_child, set_variable), so group and host order match what Ansible lists.
 */
import type { SourcePos } from '../../errors.js';
import type { Problems } from '../input/problems.js';
import { checkName } from '../input/read.js';
import type { GroupDef, HostDef, InventoryDefs } from '../model.js';

export class AnsibleBuilder {
  readonly groups = new Map<string, GroupDef>();
  readonly hosts = new Map<string, HostDef>();

  constructor(private readonly p: Problems) {
    this.group('all');
    this.group('ungrouped');
  }

  group(name: string, at?: { pos: SourcePos; path: string }): GroupDef | undefined {
    const existing = this.groups.get(name);
    if (existing) return existing;
    if (at && checkName(name, at, this.p, 'group') === undefined) return undefined;
    const g: GroupDef = { name, children: [], hosts: [], vars: {}, pos: at?.pos };
    this.groups.set(name, g);
    return g;
  }

  host(name: string, group: string, at: { pos: SourcePos; path: string }): HostDef | undefined {
    if (checkName(name, at, this.p, 'host') === undefined) return undefined;
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, address: name, sudo: false, groups: [], tags: [], vars: {}, ...at };
      this.hosts.set(name, h);
    }
    const g = this.groups.get(group);
    if (g && !g.hosts.includes(name)) g.hosts.push(name);
    return h;
  }

  child(parent: string, child: string, at: { pos: SourcePos; path: string }): void {
    const g = this.groups.get(parent);
    if (g && !g.children.some((c) => c.value === child)) g.children.push({ value: child, ...at });
  }

  /**
   * Sets a group or host variable, from the inventory file or (`from: 'file'`) a group_vars or
   * host_vars file; fleet_profile is also remembered with its position.
   */
  setVar(
    target: GroupDef | HostDef,
    key: string,
    value: unknown,
    at: { pos: SourcePos; path: string },
    from: 'inventory' | 'file' = 'inventory',
  ): void {
    if (from === 'file') target.fileVars = { ...target.fileVars, [key]: value };
    else target.vars[key] = value;
    if (key === 'fleet_profile') {
      const name = typeof value === 'string' ? checkName(value, at, this.p, 'profile') : undefined;
      if (typeof value !== 'string') this.p.add(at.pos, at.path, 'fleet_profile must be a profile name');
      if (name) target.profile = { value: name, ...at };
    }
  }

  defs(): InventoryDefs {
    return { hosts: [...this.hosts.values()], groups: this.groups, settings: { managementSources: [] } };
  }
}
