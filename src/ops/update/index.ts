/** Package updates: the remote script, its parsers, and runUpdate (the seam apply calls first). */
export { parseAptSimulate } from './apt-simulate.js';
export { errorText } from './error-text.js';
export { type UpdateGate, updateBeforeApply } from './gate.js';
export { parseInstalledList, parsePackageDiff } from './package-diff.js';
export { type RebootOutcome, readBootMarker, requestReboot, waitForReboot } from './reboot.js';
export { parseUpdateOutput } from './result.js';
export { type PendingRpm, parseCheckUpdate } from './rpm-check-update.js';
export { parseRpmTransaction, type RpmTransaction } from './rpm-transaction.js';
export { DEFAULT_UPDATE_TIMEOUT_MS, runUpdate, withDefaults } from './run.js';
export { UPDATE_SCRIPT, updateArgs } from './script.js';
export { formatChange, summarizeUpdate, type UpdateSummary } from './summary.js';
export { shouldReboot, type UpdateTaskIO, type UpdateTaskOptions, updateHost } from './task.js';
export * from './types.js';
