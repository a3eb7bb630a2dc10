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
export interface HostDef extends Omit<Host, 'groups' | 'profile' | 'declaredAt' | 'user' | 'port'> {
  /** Unset when the inventory is silent: ssh_config's User, else root (see ConnectionDefaults). */
  user?: string;
  /** Unset when the inventory is silent: ssh_config's Port, else 22. */
  port?: number;
  /** Groups named on the host itself (native format). */
  groups: Located<string>[];
  profile?: Located<string>;
  /** Ansible host_vars/ files: above every group's vars and the inventory's host vars. */
  fileVars?: Record<string, unknown>;
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
  /** Ansible group_vars/ files: above every group's inventory vars (Ansible's precedence). */
  fileVars?: Record<string, unknown>;
  pos?: SourcePos;
}

export interface Settings {
  /** known_hosts file to verify host keys against (default: ~/.ssh/known_hosts). */
  knownHosts?: string;
  /** Where operators connect from: the lockout guard and the ban guard use these. */
  managementSources: Source[];
  /** `example: true`: fleet's shipped example fleet (documentation addresses); never connected to. */
  example?: boolean;
}

/** Where an inventory was read from, for messages ("say where things come from"). */
export interface InventorySource {
  kind: 'native' | 'ansible';
  /** The files read, in order. */
  files: string[];
  /** True when no inventory of the user's own was found and the shipped example was read. */
  fallback: boolean;
  /** The file that holds the settings (management sources, known_hosts), if one does. */
  settingsFile?: string;
  /** What to edit to add management sources (names the file). */
  managementHint: string;
}

export interface InventoryDefs {
  hosts: HostDef[];
  groups: Map<string, GroupDef>;
  settings: Settings;
  /** The native file that holds `settings:`, if any. */
  settingsFile?: string;
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
  /** Vars from group_vars/ files (Ansible inventories). */
  fileVars?: Record<string, unknown>;
}

export interface Inventory {
  /** Every host, in inventory order (files sorted by name, then as written). */
  hosts: Host[];
  groups: Map<string, Group>;
  settings: Settings;
  source: InventorySource;
}

export interface Fleet extends Inventory {
  profiles: Map<string, Profile>;
}

/** A host before user and port are settled (the inventory may leave them to ssh_config). */
export type OpenHost = Omit<Host, 'user' | 'port'> & Partial<Pick<Host, 'user' | 'port'>>;

/**
 * What ssh_config says for a destination the inventory is silent about (like Ansible, which
 * leaves user and port to ssh). The CLI passes one; without it, root and 22.
 */
export type ConnectionDefaults = (address: string) => { user?: string; port?: number };

/** Groups every inventory has, as in Ansible. */
export const BUILTIN_GROUPS = ['all', 'ungrouped'] as const;
