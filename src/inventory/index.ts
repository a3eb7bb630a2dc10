/**
 * Inventory: public API (docs/inventory.md has the formats and the selector grammar).
 *
 * - `loadFleet(dir, {inventory?})`: inventory + profiles of a fleet repository, cross-checked;
 *   throws InputError (exit 2) listing every problem with file:line:col.
 * - `loadInventory(dir, {inventory?})`: the inventory alone.
 * - `selectHosts(fleet, selector, limit?)`: hosts an Ansible-style pattern picks ([] if none).
 * - `selectHostsOrFail(...)`: the same, but an empty selection is an InputError with a hint.
 * - `select(...)`: hosts plus the single patterns that matched nothing.
 * - `profileFor(fleet, host)`: the host's Profile, or InputError.
 */
export { describeSource, refuseExample } from './example.js';
export { loadFleet, loadInventory, profileFor } from './fleet.js';
export { detectFormat, type InventoryFormat, type InventoryOptions, readInventory } from './load.js';
export type { ConnectionDefaults, Fleet, Group, Inventory, InventorySource, Settings } from './model.js';
export { groupHosts, type Selection, select, selectHosts, selectHostsOrFail } from './select.js';
