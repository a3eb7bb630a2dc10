/**
 * The shipped example fleet (inventory/example/, `settings: example: true`) is for reading:
 * validate, hosts and compile work on it; nothing ever connects to its documentation addresses.
 */
import { InputError } from '../errors.js';
import type { Inventory } from './model.js';

/** InputError (exit 2, nothing sent) when `inventory` is the example fleet. */
export function refuseExample(inventory: Inventory): void {
  if (!inventory.settings.example) return;
  const where = inventory.source.files.find((f) => f.endsWith('common.yaml')) ?? inventory.source.files[0];
  throw new InputError(
    `${where}: this is fleet's example fleet (settings: example: true, documentation addresses); fleet validates, lists and compiles it, but never connects to it`,
    '`fleet lab up` starts real hosts on this machine (inventory/lab.yaml); for your own fleet, write inventory/<name>.yaml (or pass -i) without `example: true`',
  );
}

/** One line for people: which files the inventory came from. */
export function describeSource(inventory: Inventory): string {
  const { files, kind, fallback } = inventory.source;
  const what = fallback
    ? 'the example fleet (no inventory file of your own in inventory/ yet)'
    : kind === 'ansible'
      ? 'Ansible inventory'
      : 'native inventory';
  return `${what}: ${files.join(', ')}`;
}
