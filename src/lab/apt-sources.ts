/**
 * Which Debian mirror this machine uses: read from its own apt sources (one-line `.list` files
 * and deb822 `.sources` files), so the lab never names a mirror of its own.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  signedBy?: string;
  file: string;
}

/** Parse a one-line-style sources.list text. */
export function parseOneLine(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    let rest = line;
    const type = rest.split(/\s+/, 1)[0] ?? '';
    rest = rest.slice(type.length).trim();
    let signedBy: string | undefined;
    if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0) continue;
      const opts = rest.slice(1, end);
      const m = /signed-by=(\S+)/.exec(opts);
      if (m) signedBy = m[1];
      rest = rest.slice(end + 1).trim();
    }
    const [uri, suite, ...components] = rest.split(/\s+/);
    if (!uri || !suite) continue;
    out.push({ types: [type], uris: [uri], suites: [suite], components, signedBy, file });
  }
  return out;
}

/** Parse a deb822 `.sources` text: stanzas separated by blank lines. */
export function parseDeb822(text: string, file: string): AptSource[] {
  const out: AptSource[] = [];
  const stanzas = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .split(/\n\s*\n/);
  for (const stanza of stanzas) {
    const fields = new Map<string, string>();
    let last = '';
    for (const line of stanza.split('\n')) {
      if (/^\s/.test(line) && last) {
        fields.set(last, `${fields.get(last) ?? ''}\n${line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      fields.set(last, m[2]!.trim());
    }
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    const words = (k: string) => (fields.get(k) ?? '').split(/\s+/).filter(Boolean);
    if (!fields.has('uris') || !fields.has('suites')) continue;
    out.push({
      types: words('types'),
      uris: words('uris'),
      suites: words('suites'),
      components: words('components'),
      signedBy: fields.get('signed-by')?.includes('\n') ? undefined : fields.get('signed-by'),
      file,
    });
  }
  return out;
}

/** The first binary (`deb`) source that serves `suite` exactly; pure. */
export function pickMirror(sources: AptSource[], suite: string): AptSource | undefined {
  return sources.find(
    (s) =>
      s.types.includes('deb') && s.suites.includes(suite) && s.uris.some((u) => /^(https?|file):/.test(u)),
  );
}

/** Every apt source of this machine, in apt's reading order. */
export async function readAptSources(root = '/etc/apt'): Promise<AptSource[]> {
  const out: AptSource[] = [];
  const main = join(root, 'sources.list');
  try {
    out.push(...parseOneLine(await readFile(main, 'utf8'), main));
  } catch {
    // no sources.list: fine, deb822 files follow
  }
  const dir = join(root, 'sources.list.d');
  let names: string[] = [];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const file = join(dir, n);
    if (n.endsWith('.list')) out.push(...parseOneLine(await readFile(file, 'utf8'), file));
    else if (n.endsWith('.sources')) out.push(...parseDeb822(await readFile(file, 'utf8'), file));
  }
  return out;
}
