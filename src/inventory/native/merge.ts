/**
 * Merge native inventory files into one set of definitions. Settings may appear once across
 * files; a group may be declared in several files (children and vars are joined, two different
 * profiles are an error); a host may be declared once across all files.
 */
import { fmtPos, type Problems } from '../input/problems.js';
import type { GroupDef, HostDef, InventoryDefs } from '../model.js';
import type { NativeFile } from './file.js';

export function mergeNative(files: NativeFile[], p: Problems): InventoryDefs {
  const defs: InventoryDefs = { hosts: [], groups: new Map(), settings: { managementSources: [] } };
  let settingsAt: string | undefined;
  const hostAt = new Map<string, HostDef>();
  for (const f of files) {
    if (f.settings && settingsAt) {
      const c = f.settings.cursor;
      p.add(
        c.pos,
        'settings',
        `settings are already given at ${settingsAt}; keep one settings: block across inventory files`,
      );
    } else if (f.settings) {
      defs.settings = f.settings.value;
      defs.settingsFile = f.settings.cursor.pos.file;
      settingsAt = fmtPos(f.settings.cursor.pos);
    }
    for (const g of f.groups) mergeGroup(defs.groups, g, p);
    for (const h of f.hosts) addHost(defs.hosts, hostAt, h, p);
  }
  return defs;
}

function addHost(hosts: HostDef[], seen: Map<string, HostDef>, h: HostDef, p: Problems): void {
  const first = seen.get(h.name);
  if (first) {
    p.add(
      h.pos,
      h.path,
      `host "${h.name}" is already declared at ${fmtPos(first.pos)}; declare each host once (list several groups in its groups:)`,
    );
    return;
  }
  seen.set(h.name, h);
  hosts.push(h);
}

function mergeGroup(groups: Map<string, GroupDef>, g: GroupDef, p: Problems): void {
  if (g.name === 'ungrouped') {
    p.add(
      g.pos,
      `groups.${g.name}`,
      '"ungrouped" is a built-in group (hosts without a group); choose another name',
    );
    return;
  }
  const prev = groups.get(g.name);
  if (!prev) {
    groups.set(g.name, { ...g, children: [...g.children] });
    return;
  }
  const known = new Set(prev.children.map((c) => c.value));
  prev.children.push(...g.children.filter((c) => !known.has(c.value)));
  prev.vars = { ...prev.vars, ...g.vars };
  if (g.profile && prev.profile && g.profile.value !== prev.profile.value) {
    p.add(
      g.profile.pos,
      g.profile.path,
      `group "${g.name}" already has profile "${prev.profile.value}" at ${fmtPos(prev.profile.pos)}; give a group one profile`,
    );
  }
  prev.profile ??= g.profile;
}
