/** Where the lab keeps things, and the names it accepts. */
import { join } from 'node:path';
import { InputError } from '../errors.js';

/** The cached base roots (shared by every lab, outside any repository). */
export const CACHE_DIR = process.env.FLEET_LAB_CACHE ?? '/var/cache/fleet-lab';
/** Per-lab state: /var/lib/fleet-lab/<name>/ */
export const STATE_ROOT = process.env.FLEET_LAB_STATE ?? '/var/lib/fleet-lab';

/** The Debian release of the base root. */
export const SUITE = 'bookworm';
/** Bump when the base root's contents change. Each version has its own folder, so running labs
 * (whose overlays use an older base as their lowest layer) are never pulled from under them. */
export const BASE_VERSION = '1';
export const BASE_DIR = join(CACHE_DIR, `base-${SUITE}-v${BASE_VERSION}`);

/** A lab host's kind: Debian (apt), or the RPM flavour (dnf/yum on a Debian userland; src/lab/rpm-flavor.ts). */
export type LabFlavor = 'debian' | 'rpm';
export const LAB_FLAVORS: readonly LabFlavor[] = ['debian', 'rpm'];

/** The cached base root of a flavour. */
export function baseDirFor(flavor: LabFlavor): string {
  return flavor === 'debian' ? BASE_DIR : join(CACHE_DIR, `base-${SUITE}-rpm-v${BASE_VERSION}`);
}

export const DEFAULT_LAB = 'lab';

/** Lab names: short, lower case; they appear in host names, paths and interface names. */
export const LAB_NAME_PATTERN = /^[a-z][a-z0-9-]{0,23}$/;

export function validateLabName(name: string): string {
  if (!LAB_NAME_PATTERN.test(name) || name.endsWith('-')) {
    throw new InputError(
      `lab name "${name}" is not valid: 1-24 characters, lower-case letters, digits and "-", starting with a letter`,
    );
  }
  return name;
}

export function labDir(name: string): string {
  return join(STATE_ROOT, validateLabName(name));
}
