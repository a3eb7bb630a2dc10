/** Native or Ansible YAML: told apart by the top-level keys. */
import { isMap, isScalar } from 'yaml';
import type { YamlFile } from './input/source.js';
import { NATIVE_KEYS } from './native/file.js';

export type InventoryFormat = 'native' | 'ansible-yaml' | 'ansible-ini';

/** Native when the top-level keys are all native ones (settings, defaults, groups, hosts) and there is no `all`. */
export function detectFormat(src: YamlFile): InventoryFormat {
  const root = src.doc.contents;
  if (!isMap(root)) return 'native';
  const keys = root.items.map((i) => (isScalar(i.key) ? String(i.key.value) : ''));
  const nativeKeys: readonly string[] = NATIVE_KEYS;
  return keys.every((k) => nativeKeys.includes(k)) ? 'native' : 'ansible-yaml';
}

const ANSIBLE_GROUP_KEYS = new Set(['hosts', 'vars', 'children']);

/**
 * Surely Ansible YAML: not native, and every top-level value is a group (empty, or a mapping of
 * hosts/vars/children). A native file with a typo (`host:`) is not, so its error stays native.
 */
export function looksAnsibleYaml(src: YamlFile): boolean {
  const root = src.doc.contents;
  if (!isMap(root) || detectFormat(src) === 'native') return false;
  return root.items.every(({ value }) => {
    if (value === null || (isScalar(value) && value.value === null)) return true;
    return (
      isMap(value) && value.items.every((i) => isScalar(i.key) && ANSIBLE_GROUP_KEYS.has(String(i.key.value)))
    );
  });
}
