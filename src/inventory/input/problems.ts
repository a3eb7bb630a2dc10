/** Collects every input problem (with file:line:col) so they can all be reported at once. */
import { InputError, type Problem, type SourcePos } from '../../errors.js';

export class Problems {
  readonly list: Problem[] = [];

  /** Adds a problem; the same one at the same place (a set checked alone and where used) once. */
  add(pos: SourcePos | undefined, path: string | undefined, message: string): void {
    const same = (q: Problem) =>
      q.message === message && q.path === (path || undefined) && fmtPos(q.pos) === fmtPos(pos);
    if (!this.list.some(same)) this.list.push({ pos, path: path || undefined, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Throws one InputError (exit 2) listing every problem, sorted by file and position. */
  throwIfAny(hint?: string): void {
    if (this.empty) return;
    throw new InputError([...this.list].sort(byPosition), hint);
  }
}

function byPosition(a: Problem, b: Problem): number {
  const fa = a.pos?.file ?? '';
  const fb = b.pos?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0);
}

export function fmtPos(pos: SourcePos | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : 'an unknown place';
}
