/** `fleet logs`: dropped-packet lines from the hosts' kernel logs, and their fleet summary. */
export { type Drop, type HostLog, lineTime, parseDrop, parseLogsOutput } from './parse.js';
export { renderDropSummary } from './render.js';
export { checkPrefix, LOGS_SCRIPT } from './script.js';
export { type DropSummary, distinctDrops, type HostDrops, summarizeDrops } from './summary.js';
export { type LogsJob, logsHost } from './task.js';
