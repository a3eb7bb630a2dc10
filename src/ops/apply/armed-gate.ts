/**
 * Before a change: a host whose earlier transaction is still armed is refused with the time its
 * watchdog has left (measured on the host's clock), or, with --wait-armed, waited on past that
 * deadline and read again. An overdue marker (its watchdog never fired) is always refused.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { HostError, type TaskContext } from '../../engine/index.js';
import type { RemoteSession } from '../../remote/types.js';
import { armedText, isOverdue } from '../armed.js';
import { gatherFacts } from '../facts.js';

/** After the deadline, the watchdog's restore and its record take a moment. */
const SETTLE_S = 5;

export async function factsWhenDisarmed(
  session: RemoteSession,
  waitArmed: boolean,
  ctx: TaskContext,
): ReturnType<typeof gatherFacts> {
  const read = await gatherFacts(session, { withRules: true, upkeep: true });
  const armed = read.facts.armed;
  if (armed.length === 0) return read;
  const waitS = Math.max(...armed.map((a) => (isOverdue(a) || a.leftS === null ? Number.NaN : a.leftS)));
  if (!waitArmed || Number.isNaN(waitS)) {
    const hint = Number.isNaN(waitS) ? '' : ' (or run again with --wait-armed)';
    throw new HostError(`${armed.map(armedText).join('; ')}: nothing changed; retry after it${hint}`);
  }
  ctx.step('wait-armed');
  await sleep((Math.max(0, waitS) + SETTLE_S) * 1000);
  const again = await gatherFacts(session, { withRules: true, upkeep: true });
  if (again.facts.armed.length > 0) {
    throw new HostError(`still armed after its deadline: ${again.facts.armed.map(armedText).join('; ')}`);
  }
  return again;
}
