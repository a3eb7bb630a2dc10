/** Include paths for ssh_config: anchoring (~/.ssh or /etc/ssh), glob(3)-like expansion, reading. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { matchPattern } from './pattern.js';
import { type ParsedConfig, parseSshConfig } from './ssh-config-parse.js';
import { expandTilde } from './ssh-tokens.js';

/** Relative Include paths live in ~/.ssh for user files and /etc/ssh for the system file. */
export function anchorInclude(arg: string, home: string, userConfig: boolean): string {
  if (arg.startsWith('/')) return arg;
  if (arg.startsWith('~')) return expandTilde(arg, home);
  return userConfig ? join(home, '.ssh', arg) : join('/etc/ssh', arg);
}

const WILD = /[*?]/;

/** Expand `*` and `?` in any path component, sorted; wildcards do not match a leading dot. */
export function globPaths(pattern: string): string[] {
  if (!WILD.test(pattern)) return [pattern];
  const parts = pattern.split('/');
  let bases = [parts[0] === '' ? '/' : parts[0]!];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    bases = bases.flatMap((b) => expandComponent(b, part));
  }
  return bases.sort();
}

function expandComponent(base: string, part: string): string[] {
  if (!WILD.test(part)) return [join(base, part)];
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  return names
    .filter((n) => !(n.startsWith('.') && !part.startsWith('.')) && matchPattern(n, part))
    .map((n) => join(base, n))
    .sort();
}

/** Parsed file, or undefined when it does not exist or is not a regular file. */
export function readConfigFile(path: string): ParsedConfig | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return parseSshConfig(readFileSync(path, 'utf8'), path);
  } catch {
    return undefined;
  }
}
