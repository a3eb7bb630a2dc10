/** inventory/bans.yaml on disk: read (a missing file is an empty list) and atomic write. */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Document } from 'yaml';
import { InputError, type SourcePos } from '../errors.js';
import { PRIVATE_FILE } from '../private-fs.js';
import { parseBanText } from './file-parse.js';
import { emptyBanDocument, renderBanFile } from './file-render.js';
import type { BanEntry } from './types.js';

export interface BanFile {
  path: string;
  doc: Document;
  entries: BanEntry[];
  /** Where each listed CIDR is written (empty for a file not yet on disk). */
  positions: Map<string, SourcePos>;
}

/** Where a fleet repository keeps its ban list. */
export function banFilePath(dir: string): string {
  return path.join(dir, 'inventory', 'bans.yaml');
}

export async function readBanFile(file: string): Promise<BanFile> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) return { path: file, doc: emptyBanDocument(), entries: [], positions: new Map() };
  const parsed = parseBanText(text, file);
  if (parsed.problems.length > 0)
    throw new InputError(parsed.problems, `fix ${file}, then run the command again`);
  return { path: file, doc: parsed.doc, entries: parsed.entries, positions: parsed.positions };
}

/**
 * Write the list: a temporary file beside it, then rename, so a reader never sees half a file.
 * 0600: who is banned, and why, is the operator's business.
 */
export async function writeBanFile(file: BanFile, entries: readonly BanEntry[]): Promise<void> {
  const text = renderBanFile(file.doc, entries);
  await writeAtomic(file.path, text);
  file.entries = [...entries];
}

export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(tmp, text, { encoding: 'utf8', mode: PRIVATE_FILE, flush: true });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
