/**
 * What every host command starts from: the fleet repository loaded and checked (inventory and
 * profiles: any problem is an InputError before a connection is opened), the hosts the selector
 * picks, and one connection pool for the run.
 */
import type { Command } from 'commander';
import {
  describeSource,
  type Fleet,
  type Inventory,
  type InventoryOptions,
  loadFleet,
  loadInventory,
  refuseExample,
  selectHostsOrFail,
} from '../inventory/index.js';
import type { Host } from '../model/host.js';
import { type PoolOptions, SshPool } from '../remote/index.js';
import { sshConfigDefaults, sshConfigOptions, warnSshConfig } from './ssh-config-flags.js';

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

/** -i and -F for the commands that connect to nothing (hosts, validate, compile). */
export function addInventoryOptions(cmd: Command): Command {
  return cmd
    .option(
      '-i, --inventory <path>',
      'use this inventory (native, or Ansible INI/YAML/directory) instead of inventory/ [env FLEET_INVENTORY]',
    )
    .option(
      '-F, --ssh-config <file>',
      'read this ssh_config instead of ~/.ssh/config (User, Port where the inventory is silent)',
    );
}

export function inventoryPath(flags: Pick<ConnectionFlags, 'inventory'>): string | undefined {
  return flags.inventory ?? process.env.FLEET_INVENTORY ?? undefined;
}

export interface Selected<F extends Inventory> {
  fleet: F;
  hosts: Host[];
}

/** -i (or FLEET_INVENTORY) and ssh_config (-F) as the inventory loader takes them. */
export function inventoryOptions(flags: Omit<ConnectionFlags, 'dir'>): InventoryOptions {
  return {
    inventory: inventoryPath(flags),
    connection: sshConfigDefaults(sshConfigOptions(flags.sshConfig)),
  };
}

/** The inventory and profiles (validate, compile, plan, ...); says so when it is the example fleet. */
export function loadFleetFor(flags: ConnectionFlags): Fleet {
  return noted(loadFleet(flags.dir, inventoryOptions(flags)));
}

/** The inventory alone (hosts, facts, exec, update: nothing compiled, no profiles needed). */
export function loadInventoryFor(flags: ConnectionFlags): Inventory {
  return noted(loadInventory(flags.dir, inventoryOptions(flags)));
}

function noted<I extends Inventory>(inventory: I): I {
  if (inventory.source.fallback) process.stderr.write(`fleet: reading ${describeSource(inventory)}\n`);
  return inventory;
}

/** Inventory and profiles, then the selection (an empty one is an InputError). */
export function selectFromFleet(selector: string, flags: ConnectionFlags): Selected<Fleet> {
  const fleet = loadFleetFor(flags);
  return { fleet, hosts: selectHostsOrFail(fleet, selector, flags.limit) };
}

/** Inventory only (commands that compile nothing: facts, exec, update). */
export function selectFromInventory(selector: string, flags: ConnectionFlags): Selected<Inventory> {
  const fleet = loadInventoryFor(flags);
  return { fleet, hosts: selectHostsOrFail(fleet, selector, flags.limit) };
}

/**
 * One pool per run: a connection per host, shared jump hosts, known_hosts from the inventory.
 * Refuses the example fleet (exit 2): nothing connects to its documentation addresses.
 */
export function openPool(
  inventory: Inventory,
  flags: ConnectionFlags,
  extra: Pick<PoolOptions, 'maxHandshakes'> = {},
): SshPool {
  refuseExample(inventory);
  const byName = new Map(inventory.hosts.map((h) => [h.name, h]));
  return new SshPool({
    ...extra,
    knownHostsFile: inventory.settings.knownHosts,
    trustNewHosts: flags.trustNewHosts,
    sshConfig: sshConfigOptions(flags.sshConfig),
    lookupHost: (name) => byName.get(name),
    onWarning: (_host, message) => warnSshConfig(message),
  });
}
