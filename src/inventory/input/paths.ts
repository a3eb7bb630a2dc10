/** File paths written in an inventory: relative ones are relative to the file that names them. */
import path from 'node:path';

export function resolveFrom(file: string, p: string): string {
  if (p.startsWith('~') || path.isAbsolute(p)) return p;
  return path.resolve(path.dirname(file), p);
}

/** No NUL, no newline: a path is handed to ssh2 or fs, never to a shell, but stay boring. */
export function checkPath(p: string): string | undefined {
  return /[\0\n\r]/.test(p) ? `path "${JSON.stringify(p)}" contains a control character` : undefined;
}
