/** The inventory's shapes: definitions as read (with positions) and the resolved model. */
import type { SourcePos } from '../errors.js';
import type { Host } from '../model/host.js';
import type { Profile, Source } from '../model/profile.js';

/** A value with the place it was written, for messages found after reading. */
export interface Located<T> {
  value: T;
  pos: SourcePos;
  path: string;
}

/** A host as one inventory file declares it, before group membership and profile are resolved. */
export interface HostDef extends Omit<Host, 'groups' | 'profile' | 'declaredAt'> {
  /** Groups named on the host itself (native format). */
  groups: Located<string>[];
  profile?: Located<string>;
  pos: SourcePos;
  path: string;
}

export interface GroupDef {
  name: string;
  children: Located<string>[];
  /** Hosts the group lists itself, in order (Ansible formats; native hosts name their groups). */
  hosts: string[];
  profile?: Located<string>;
  vars: Record<string, unknown>;
  pos?: SourcePos;
}

export interface Settings {
  /** known_hosts file to verify host keys against (default: ~/.ssh/known_hosts). */
  knownHosts?: string;
  /** Where operators connect from: the lockout guard and the ban guard use these. */
  managementSources: Source[];
}

export interface InventoryDefs {
  hosts: HostDef[];
  groups: Map<string, GroupDef>;
  settings: Settings;
}

/** A group after resolution: what selectors read. `all` and `ungrouped` are always present. */
export interface Group {
  name: string;
  /** Child groups, in declaration order. */
  children: string[];
  /** Hosts directly in this group, in inventory order. */
  hosts: string[];
  profile?: string;
  vars: Record<string, unknown>;
}

export interface Inventory {
  /** Every host, in inventory order (files sorted by name, then as written). */
  hosts: Host[];
  groups: Map<string, Group>;
  settings: Settings;
}

export interface Fleet extends Inventory {
  profiles: Map<string, Profile>;
}

/** Groups every inventory has, as in Ansible. */
export const BUILTIN_GROUPS = ['all', 'ungrouped'] as const;
