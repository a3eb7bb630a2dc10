/**
 * What `fleet ban`, `fleet unban` and `fleet bans sync|expire` share: --on, the connection and
 * fan-out flags with an incident's defaults (100 hosts at once, 60 s per host), and the push,
 * whose closing lines say which hosts have the change and which could not be reached.
 */
import { type Command, Option } from 'commander';
import type { Where } from '../../bans/context.js';
import type { Inventory } from '../../inventory/index.js';
import type { RunReport } from '../../model/result.js';
import type { PushInput } from '../../ops/ban/push.js';
import { pushBans } from '../../ops/ban/push.js';
import { describeOutcome } from '../../ops/ban/task.js';
import { terminalText } from '../../report/terminal-text.js';
import { readFanoutOptions } from '../fanout-options.js';
import type { ConnectionFlags } from '../fleet-context.js';
import { inventoryPath } from '../fleet-context.js';
import { declareHostCommand, runSelected } from '../host-command.js';

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
): Promise<number> {
  const { timeoutMs } = readFanoutOptions(o);
  return runSelected<Inventory>(o.on ?? 'all', o, {
    command,
    withProfiles: false,
    task: async (_job, _host, session, ctx) => {
      ctx.step(STEP[input.op]);
      return describeOutcome(
        await pushBans(session, { ...input, mode: o.banMode ?? 'auto', timeoutMs }),
        input.op,
      );
    },
    exitCode: (report, usual) => {
      closingLines(command, report);
      return usual;
    },
  });
}

const STEP: Record<PushInput['op'], string> = { add: 'ban', del: 'unban', sync: 'sync' };

function closingLines(command: string, report: RunReport): void {
  const names = (want: (s: string) => boolean) =>
    report.hosts.filter((h) => want(h.status)).map((h) => h.host);
  const done = names((s) => s === 'changed' || s === 'unchanged');
  const unreachable = names((s) => s === 'unreachable');
  const other = names((s) => !['changed', 'unchanged', 'unreachable'].includes(s));
  say(`${command}: done on ${done.length} of ${report.hosts.length} host(s)`);
  if (unreachable.length) say(`not reached: ${unreachable.join(', ')} (retry with: fleet bans sync)`);
  if (other.length)
    say(`failed or not tried: ${other.join(', ')} (see the report; retry with: fleet bans sync)`);
}
