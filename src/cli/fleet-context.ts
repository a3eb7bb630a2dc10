/**
 * What every host command starts from: the fleet repository loaded and checked (inventory and
 * profiles: any problem is an InputError before a connection is opened), the hosts the selector
 * picks, and one connection pool for the run.
 */
import type { Command } from 'commander';
import {
  type Fleet,
  type Inventory,
  loadFleet,
  loadInventory,
  selectHostsOrFail,
} from '../inventory/index.js';
import type { Host } from '../model/host.js';
import { SshPool } from '../remote/index.js';

export interface ConnectionFlags {
  /** The fleet repository (-C, global). */
  dir: string;
  /** -i: an inventory file or directory instead of <dir>/inventory (Ansible INI/YAML too). */
  inventory?: string;
  trustNewHosts?: boolean;
  /** -F: read this ssh_config instead of ~/.ssh/config. */
  sshConfig?: string;
  limit?: string;
}

export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('-i, --inventory <path>', 'use this inventory instead of inventory/ (env FLEET_INVENTORY)')
    .option('--trust-new-hosts', 'accept and record host keys not yet in known_hosts (never a changed key)')
    .option('-F, --ssh-config <file>', 'read this ssh_config instead of ~/.ssh/config');
}

export function inventoryPath(flags: ConnectionFlags): string | undefined {
  return flags.inventory ?? process.env.FLEET_INVENTORY ?? undefined;
}

export interface Selected<F extends Inventory> {
  fleet: F;
  hosts: Host[];
}

/** Inventory and profiles, then the selection (an empty one is an InputError). */
export function selectFromFleet(selector: string, flags: ConnectionFlags): Selected<Fleet> {
  const fleet = loadFleet(flags.dir, { inventory: inventoryPath(flags) });
  return { fleet, hosts: selectHostsOrFail(fleet, selector, flags.limit) };
}

/** Inventory only (commands that compile nothing: facts, exec, update). */
export function selectFromInventory(selector: string, flags: ConnectionFlags): Selected<Inventory> {
  const fleet = loadInventory(flags.dir, { inventory: inventoryPath(flags) });
  return { fleet, hosts: selectHostsOrFail(fleet, selector, flags.limit) };
}

/** One pool per run: a connection per host, shared jump hosts, known_hosts from the inventory. */
export function openPool(inventory: Inventory, flags: ConnectionFlags): SshPool {
  const byName = new Map(inventory.hosts.map((h) => [h.name, h]));
  return new SshPool({
    knownHostsFile: inventory.settings.knownHosts,
    trustNewHosts: flags.trustNewHosts,
    sshConfig: flags.sshConfig ? { configFile: flags.sshConfig } : undefined,
    lookupHost: (name) => byName.get(name),
  });
}
