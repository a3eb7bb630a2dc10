/**
 * What a ban command needs from the repository and the workstation: the inventory, the selected
 * hosts (checked before anything is written), the guard's protected ranges, the ban file and
 * its lock.
 */
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { type Inventory, loadInventory, refuseExample, selectHostsOrFail } from '../inventory/index.js';
import { managementPath } from '../inventory/management-path.js';
import type { Host } from '../model/host.js';
import { banFilePath } from './file-io.js';
import { type ProtectedRange, protectedRanges } from './guard.js';

export interface Where {
  /** The fleet repository (-C). */
  dir: string;
  /** -i / FLEET_INVENTORY: an inventory path instead of <dir>/inventory. */
  inventory?: string;
  /** --on: the hosts to push to now (default all). */
  on?: string;
  limit?: string;
}

export interface BanContext {
  inventory: Inventory;
  hosts: Host[];
  selector: string;
  ranges: ProtectedRange[];
  banFile: string;
  lockFile: string;
}

export function loadBanContext(w: Where): BanContext {
  const inventory = loadInventory(w.dir, { inventory: w.inventory });
  refuseExample(inventory); // a ban is written, then pushed: refuse before either
  const selector = w.on ?? 'all';
  const hosts = selectHostsOrFail(inventory, selector, w.limit);
  const banFile = banFilePath(w.dir);
  const lockFile = path.join(path.dirname(banFile), '.bans.lock');
  return { inventory, hosts, selector, ranges: guardRanges(inventory), banFile, lockFile };
}

export function guardRanges(inventory: Inventory): ProtectedRange[] {
  return protectedRanges({
    interfaces: networkInterfaces(),
    managementSources: inventory.settings.managementSources.map((s) => s.cidr),
    hosts: [...inventory.hosts, ...pathAddresses(inventory)],
  });
}

/** Where hosts see fleet's SSH come from besides the settings: a bastion's inner addresses. */
function pathAddresses(inventory: Inventory): { name: string; address: string }[] {
  const settings = new Set(inventory.settings.managementSources.map((s) => s.cidr));
  return inventory.hosts.flatMap((h) => {
    const path = pathSources(inventory, h).filter((s) => !settings.has(s.cidr));
    return path.map((s) => ({ name: `${h.name}'s management path`, address: s.cidr }));
  });
}

function pathSources(inventory: Inventory, host: Host) {
  try {
    return managementPath(inventory, host).sources;
  } catch {
    return []; // an unknown path is reported where hosts are compiled
  }
}
