/** What ban, unban, bans sync and bans expire report per host, from the script's outcome. */
import type { TaskResult } from '../../engine/index.js';
import type { PushInput, PushOutcome } from './push.js';

export function describeOutcome(o: PushOutcome, op: PushInput['op']): TaskResult {
  const held = ([4, 6] as const).flatMap((f) => (o.count[f] === undefined ? [] : [`${o.count[f]} IPv${f}`]));
  const where = `${o.mode}: ${held.join(', ') || 'nothing'} banned here`;
  const extras = [
    o.flowsEnded ? `${o.flowsEnded} flow${o.flowsEnded === 1 ? '' : 's'} ended` : '',
    o.expired ? `${o.expired} over lifted` : '',
    o.persisted.length ? 'persisted' : '',
  ].filter(Boolean);
  const tail = [extras.length ? `; ${extras.join(', ')}` : '', o.mixed ? `; ${o.mixed}` : ''].join('');
  const data = { ...o } as unknown as Record<string, unknown>;
  if (!o.changed) return { status: 'unchanged', detail: `${UNCHANGED[op]} (${where})`, data };
  return { status: 'changed', detail: `${verb(o, op)} (${where})${tail}`, data };
}

const UNCHANGED: Record<PushInput['op'], string> = {
  add: 'already banned',
  del: 'not banned here',
  sync: 'in sync',
  list: 'listed',
};

function verb(o: PushOutcome, op: PushInput['op']): string {
  if (op === 'add')
    return o.added ? `banned ${o.added} new` : o.expired ? 'no new ban' : 'ban chain repaired';
  if (op === 'del') return o.removed ? `lifted ${o.removed}` : 'ban chain repaired';
  if (op === 'list') return 'listed';
  return `synced +${o.added} -${o.removed}`;
}
