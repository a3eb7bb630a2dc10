/**
 * What `fleet ban`, `fleet unban` and `fleet bans sync|expire` share: --on, the connection and
 * fan-out flags with an incident's defaults (100 hosts at once, 60 s per host), and the push,
 * whose closing lines say which hosts have the change and which could not be reached.
 */
import { type Command, Option } from 'commander';
import { displayCidr } from '../../bans/address.js';
import type { Where } from '../../bans/context.js';
import type { Inventory } from '../../inventory/index.js';
import type { RunReport } from '../../model/result.js';
import type { HeldBan, PushInput } from '../../ops/ban/push.js';
import { pushBans } from '../../ops/ban/push.js';
import { describeOutcome } from '../../ops/ban/task.js';
import { terminalText } from '../../report/terminal-text.js';
import { readFanoutOptions } from '../fanout-options.js';
import type { ConnectionFlags } from '../fleet-context.js';
import { inventoryPath } from '../fleet-context.js';
import { declareHostCommand, runSelected } from '../host-command.js';
import type { HostCommandSpec } from '../host-task.js';

export const BAN_CONCURRENCY = '100';

export interface BanCliOptions extends ConnectionFlags {
  on?: string;
  banMode?: 'auto' | 'ipset' | 'rules';
  [key: string]: unknown;
}

/** --on, the connection and fan-out flags with a ban's defaults, and the hidden --ban-mode (tests). */
export function addPushOptions(cmd: Command): Command {
  cmd
    .option('--on <selector>', 'push to these hosts now (default: all; the list stays fleet-wide)')
    .addOption(
      new Option('--ban-mode <mode>').choices(['auto', 'ipset', 'rules']).default('auto').hideHelp(),
    );
  declareHostCommand(cmd, { timeout: '60s' });
  const concurrency = cmd.options.find((o) => o.long === '--concurrency');
  if (concurrency) concurrency.defaultValue = BAN_CONCURRENCY;
  cmd.setOptionValueWithSource('concurrency', BAN_CONCURRENCY, 'default');
  return cmd;
}

export function whereFrom(o: BanCliOptions): Where {
  return { dir: o.dir, inventory: inventoryPath(o), on: o.on, limit: o.limit };
}

export function say(line: string): void {
  process.stderr.write(`fleet: ${terminalText(line)}\n`);
}

/** Push `input` to the hosts --on (and --limit) pick; report; return the exit code. */
export async function pushToHosts(
  command: string,
  input: Omit<PushInput, 'mode'>,
  o: BanCliOptions,
  onReport?: (report: RunReport) => void,
): Promise<number> {
  return runSelected<Inventory>(o.on ?? 'all', o, {
    ...pushSpec(command, input, o),
    exitCode: (report, usual) => {
      onReport?.(report);
      closingLines(command, report);
      return usual;
    },
  });
}

/** What a push runs on each host (in the main thread or a worker thread: `input` is data). */
export function pushSpec(
  command: string,
  input: Omit<PushInput, 'mode'>,
  o: BanCliOptions,
): HostCommandSpec<Inventory> {
  const { timeoutMs } = readFanoutOptions(o);
  return {
    command,
    withProfiles: false,
    worker: () => ({ name: 'push', args: { command, input } }),
    task: async (_job, _host, session, ctx) => {
      ctx.step(STEP[input.op]);
      const out = await pushBans(session, { ...input, mode: o.banMode ?? 'auto', timeoutMs });
      const result = describeOutcome(out, input.op);
      const kept = input.op === 'sync' ? keptNote(out.held) : '';
      return kept ? { ...result, detail: `${result.detail}; ${kept}` } : result;
    },
  };
}

const STEP: Record<PushInput['op'], string> = { add: 'ban', del: 'unban', sync: 'sync', list: 'list' };

function closingLines(command: string, report: RunReport): void {
  const names = (want: (s: string) => boolean) =>
    report.hosts.filter((h) => want(h.status)).map((h) => h.host);
  const done = names((s) => s === 'changed' || s === 'unchanged');
  const unreachable = names((s) => s === 'unreachable');
  const other = names((s) => !['changed', 'unchanged', 'unreachable'].includes(s));
  say(`${command}: done on ${done.length} of ${report.hosts.length} host(s)`);
  // A sync keeps host-held bans the list lacks: lifting what a host missed needs --prune-bans.
  const retry =
    command === 'unban' || command === 'bans-expire' ? 'fleet bans sync --prune-bans' : 'fleet bans sync';
  if (unreachable.length) say(`not reached: ${unreachable.join(', ')} (retry with: ${retry})`);
  if (other.length) say(`failed or not tried: ${other.join(', ')} (see the report; retry with: ${retry})`);
}

const NAMED = 5;

/** "kept 2 ban(s) this host holds that bans.yaml lacks: ..." (one ledger: a stale list lifts nothing). */
export function keptNote(held: readonly Pick<HeldBan, 'cidr'>[]): string {
  if (held.length === 0) return '';
  const names = held.slice(0, NAMED).map((h) => displayCidr(h.cidr));
  const more = held.length > NAMED ? ` and ${held.length - NAMED} more` : '';
  return `kept ${held.length} ban(s) this host holds that bans.yaml lacks: ${names.join(', ')}${more} (fleet bans pull records them; --prune-bans lifts them)`;
}
