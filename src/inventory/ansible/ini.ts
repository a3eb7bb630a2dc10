/** Ansible INI inventories, read as ansible's ini plugin does (sections, :vars, :children). */
import type { SourcePos } from '../../errors.js';
import type { Problems } from '../input/problems.js';
import type { InventoryDefs } from '../model.js';
import { AnsibleBuilder } from './builder.js';
import { splitHostPattern } from './hostpattern.js';
import { parseIniValue, shlexSplit } from './shlex.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]/;

interface State {
  b: AnsibleBuilder;
  group: string;
  kind: string;
  /** Children named before their group's own section: child -> where it was named. */
  pending: Map<string, { parents: string[]; pos: SourcePos }>;
}

/** Reads one file into `b` (a directory's files share one builder, as in Ansible). */
export function readAnsibleIni(
  file: string,
  text: string,
  p: Problems,
  b = new AnsibleBuilder(p),
): InventoryDefs {
  const s: State = { b, group: 'ungrouped', kind: 'hosts', pending: new Map() };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line[0] === '#' || line[0] === ';') return;
    const at = { pos: { file, line: i + 1, col: raw.indexOf(line[0]!) + 1 }, path: '' };
    readLine(s, line, raw, at, p);
  });
  for (const [child, decl] of s.pending) {
    p.add(
      decl.pos,
      `${decl.parents[0]}:children`,
      `group "${child}" is named as a child but has no [${child}] section; add one or remove the line`,
    );
  }
  return s.b.defs();
}

function readLine(
  s: State,
  line: string,
  raw: string,
  at: { pos: SourcePos; path: string },
  p: Problems,
): void {
  const m = SECTION.exec(line);
  if (m) {
    startSection(s, m[1]!, m[2] ?? 'hosts', at, p);
    return;
  }
  if (line.startsWith('[') && line.endsWith(']')) {
    p.add(
      at.pos,
      undefined,
      `invalid section "${line}": write [group], [group:vars] or [group:children] without spaces`,
    );
    return;
  }
  const path = `${s.group}${s.kind === 'hosts' ? '' : `:${s.kind}`}`;
  if (s.kind === 'vars') {
    readVarLine(s, line, { ...at, path }, p);
    return;
  }
  if (s.kind === 'children') {
    readChildLine(s, line, { ...at, path });
    return;
  }
  readHostLine(s, raw, { ...at, path }, p);
}

function startSection(
  s: State,
  name: string,
  kind: string,
  at: { pos: SourcePos; path: string },
  p: Problems,
): void {
  if (!['hosts', 'children', 'vars'].includes(kind)) {
    p.add(at.pos, undefined, `section [${name}:${kind}] has unknown type "${kind}": use :vars or :children`);
  }
  [s.group, s.kind] = [name, kind];
  s.b.group(name, { ...at, path: name });
  const pending = s.pending.get(name);
  if (pending) {
    for (const parent of pending.parents)
      s.b.child(parent, name, { pos: pending.pos, path: `${parent}:children` });
    s.pending.delete(name);
  }
}

function readVarLine(s: State, line: string, at: { pos: SourcePos; path: string }, p: Problems): void {
  const eq = line.indexOf('=');
  if (eq < 0) {
    p.add(at.pos, at.path, `expected key=value, got "${line}"`);
    return;
  }
  const g = s.b.groups.get(s.group);
  if (g) s.b.setVar(g, line.slice(0, eq).trim(), parseIniValue(line.slice(eq + 1).trim()), at);
}

function readChildLine(s: State, line: string, at: { pos: SourcePos; path: string }): void {
  const child = line.split(/\s/)[0]!;
  if (s.b.groups.has(child)) {
    s.b.child(s.group, child, at);
    return;
  }
  const pending = s.pending.get(child) ?? { parents: [], pos: at.pos };
  pending.parents.push(s.group);
  s.pending.set(child, pending);
}

function readHostLine(s: State, raw: string, at: { pos: SourcePos; path: string }, p: Problems): void {
  const tokens = shlexSplit(raw);
  if (typeof tokens === 'string') {
    p.add(at.pos, at.path, `cannot read host line: ${tokens}`);
    return;
  }
  const [first, ...rest] = tokens;
  if (!first) return;
  const pattern = splitHostPattern(first.text);
  if (typeof pattern === 'string') {
    p.add(at.pos, at.path, pattern);
    return;
  }
  for (const name of pattern.names) {
    const h = s.b.host(name, s.group, { ...at, path: `${at.path}.${name}` });
    if (!h) continue;
    if (pattern.port !== undefined) s.b.setVar(h, 'ansible_port', pattern.port, at);
    for (const t of rest) readHostVar(s, h, t.text, { pos: { ...at.pos, col: t.col + 1 }, path: at.path }, p);
  }
}

function readHostVar(
  s: State,
  h: Parameters<AnsibleBuilder['setVar']>[0],
  t: string,
  at: { pos: SourcePos; path: string },
  p: Problems,
): void {
  const eq = t.indexOf('=');
  if (eq < 0) {
    p.add(at.pos, at.path, `expected key=value host variable, got "${t}"`);
    return;
  }
  s.b.setVar(h, t.slice(0, eq), parseIniValue(t.slice(eq + 1)), {
    ...at,
    path: `${at.path}.${t.slice(0, eq)}`,
  });
}
