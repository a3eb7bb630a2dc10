/** The audit (docs/audit.md): one host's read-only checks, and the pieces the CLI uses. */
export { auditDetail, CHECKS, isSerious, runChecks } from './checks.js';
export { type AuditJob, auditHost } from './task.js';
export type { AuditInput, AuditSettings, HostExtras } from './types.js';
