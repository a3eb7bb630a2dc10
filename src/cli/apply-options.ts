/**
 * What apply, rollback and restore share: the transaction flags, who holds the host lock, a
 * transaction id, and the input of one host's transaction.
 */
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import type { Host } from '../model/host.js';
import type { ApplyHostInput } from '../ops/apply/apply-host.js';
import { TX_PATTERN } from '../ops/apply/paths.js';
import type { TransactStep } from '../ops/apply/types.js';
import type { RemoteSession, SshPool } from '../remote/index.js';
import { parseSpan } from '../schedule/span.js';
import { parseCount } from './fanout-options.js';

const CUT_STEPS: readonly TransactStep[] = ['backup', 'armed', 'swapped', 'confirm'];

/**
 * The longest confirmation window: unconfirmed rules that may cut the management path stay live
 * that long, the host lock is held, and the run waits past it on a rollback. An hour is already
 * more than a confirmation over a new connection needs.
 */
export const MAX_CONFIRM_TIMEOUT_S = 3600;

export interface ApplySettings {
  confirmTimeoutS: number;
  keep: number;
  waitArmed: boolean;
  /** `--wait-lock`: seconds to wait for a host lock another fleet run holds (0: refuse at once). */
  waitLockS: number;
  /** Tests only (FLEET_TEST_CUT_AFTER): drop the run's connection after this step. */
  cutAfter?: TransactStep;
}

export function addTransactionOptions(cmd: Command): Command {
  return cmd
    .option(
      '--confirm-timeout <seconds>',
      `the watchdog restores the old rules unless confirmed within this (5..${MAX_CONFIRM_TIMEOUT_S})`,
      '30',
    )
    .option('--keep <n>', 'rule backups kept per host (on the host and in backups/)', '10')
    .option(
      '--wait-lock <span>',
      "another fleet run holds a host's lock: wait up to this long for it, showing who holds it (e.g. 5m; default: refuse that host at once)",
    )
    .option(
      '--wait-armed',
      "a host still awaiting an earlier run's confirmation: wait past its watchdog's deadline, then go on (default: refuse that host)",
    );
}

export function readTransactionFlags(raw: Record<string, unknown>): ApplySettings {
  const confirmTimeoutS = parseFlag('confirm-timeout', raw.confirmTimeout, 5, MAX_CONFIRM_TIMEOUT_S);
  const keep = parseFlag('keep', raw.keep, 1);
  const cut = process.env.FLEET_TEST_CUT_AFTER as TransactStep | undefined;
  if (cut !== undefined && !CUT_STEPS.includes(cut)) {
    throw new InputError(`FLEET_TEST_CUT_AFTER must be one of ${CUT_STEPS.join(', ')}`);
  }
  const waitLockS =
    raw.waitLock === undefined ? 0 : parseSpan('--wait-lock', String(raw.waitLock), WAIT_LOCK);
  return { confirmTimeoutS, keep, waitArmed: raw.waitArmed === true, waitLockS, cutAfter: cut };
}

/** A wait for another run's lock: at least a second, at most an hour (--timeout still applies). */
const WAIT_LOCK = { min: 1, max: 3600 };

function parseFlag(flag: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const bad = (why: string) => new InputError(`--${flag} ${JSON.stringify(String(value))}: ${why}`);
  let n: number;
  try {
    n = parseCount(String(value), min);
  } catch (err) {
    throw bad((err as Error).message);
  }
  if (n > max) throw bad(`must be at most ${max}${LIMIT_WHY[flag] ?? ''}`);
  return n;
}

const LIMIT_WHY: Record<string, string> = {
  'confirm-timeout':
    ' (one hour): until confirmed, rules that may cut the management path stay live and the host stays locked',
};

/** A transaction id: random, safe in file names and as a script argument (backups add the time). */
export function newTxId(): string {
  const id = randomBytes(5).toString('hex');
  if (!TX_PATTERN.test(id)) throw new Error(`bad transaction id ${id}`);
  return id;
}

/** Who holds a host's lock, as a second operator is told. */
export function lockOwner(): string {
  return `${userInfo().username}@${hostname()} pid ${process.pid}`;
}

export interface TransactionContext {
  dir: string;
  pool: SshPool;
  settings: ApplySettings;
  owner: string;
}

/** One host's transaction input; `compile`, `beforeChange` and `checkPlan` say what this command does. */
export function transactionInput(
  t: TransactionContext,
  host: Host,
  session: RemoteSession,
  what: Pick<ApplyHostInput, 'compile' | 'beforeChange' | 'checkPlan'>,
): ApplyHostInput {
  return {
    host: host.name,
    link: { session, fresh: () => t.pool.openFresh(host) },
    owner: t.owner,
    backupsDir: join(t.dir, 'backups'),
    opts: { ...t.settings, tx: newTxId() },
    ...what,
  };
}
