/** Every command, in the order `fleet --help` lists them. One file per command. */
import type { Command } from 'commander';
import { registerApply } from './apply.js';
import { registerAudit } from './audit.js';
import { registerBackups } from './backups.js';
import { registerBan } from './ban.js';
import { registerBans } from './bans.js';
import { registerCompile } from './compile.js';
import { registerExec } from './exec.js';
import { registerFacts } from './facts.js';
import { registerHosts } from './hosts.js';
import { registerLab } from './lab.js';
import { registerLogs } from './logs.js';
import { registerPlan } from './plan.js';
import { registerReport } from './report.js';
import { registerRestore } from './restore.js';
import { registerRollback } from './rollback.js';
import { registerSchedule } from './schedule.js';
import { registerUnban } from './unban.js';
import { registerUpdate } from './update.js';
import { registerValidate } from './validate.js';

export type Register = (program: Command) => void;

export const COMMANDS: Register[] = [
  registerPlan,
  registerApply,
  registerAudit,
  registerBan,
  registerUnban,
  registerBans,
  registerUpdate,
  registerFacts,
  registerExec,
  registerHosts,
  registerValidate,
  registerCompile,
  registerRollback,
  registerRestore,
  registerBackups,
  registerReport,
  registerSchedule,
  registerLogs,
  registerLab,
];
