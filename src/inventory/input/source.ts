/** Parse a YAML file keeping positions, so every later problem can name file:line:col. */
import { type Document, LineCounter, parseDocument } from 'yaml';
import type { SourcePos } from '../../errors.js';
import type { Problems } from './problems.js';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Returns undefined (after recording the problems) when the YAML is malformed. */
export function parseYaml(file: string, text: string, problems: Problems): YamlFile | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, prettyErrors: false });
  for (const e of doc.errors) {
    const pos = offsetPos({ file, lines }, e.pos[0]);
    problems.add(pos, undefined, `malformed YAML: ${e.message}; fix the syntax at this place`);
  }
  return doc.errors.length ? undefined : { file, doc, lines };
}

export function offsetPos(src: Pick<YamlFile, 'file' | 'lines'>, offset: number): SourcePos {
  const { line, col } = src.lines.linePos(offset);
  return { file: src.file, line, col };
}
