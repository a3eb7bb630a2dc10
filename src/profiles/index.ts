/**
 * Profiles: public API.
 *
 * - `loadProfiles(dir, {managementSources?})`: every `<dir>/profiles/*.yaml`, `extends` merged,
 *   validated; throws InputError (exit 2) listing every problem with file:line:col.
 * - `readProfiles(dir, opts, problems)`: the same, collecting problems instead of throwing.
 * - `profileFor(fleet, host)` lives in src/inventory (it needs both halves).
 *
 * Formats and merge rules: docs/profiles.md.
 */
export { DEFAULTS } from './finalize.js';
export { loadProfiles, type ProfileOptions, readProfiles, SETS_FILE } from './load.js';
export { normalizeRate } from './rate.js';
export { checkArg } from './raw.js';
export { MANAGEMENT } from './sets.js';
