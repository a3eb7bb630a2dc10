// Turns a published rule listing into iptables-save text that iptables-restore loads, mechanically:
// `iptables -S` lines (`-P CHAIN POLICY` -> `:CHAIN POLICY [0:0]`, `-N CHAIN` -> `:CHAIN - [0:0]`)
// and save lines (`*table`, `:CHAIN ...`, `-A ...`) are kept in order, every `-A` line unchanged;
// blank lines and `#` lines (the author's notes, prompts) are left out; every table is closed with
// COMMIT. Anything else is refused with its line number, so nothing slips through unseen.
// Used for corpus dumps published without COMMIT or as `iptables -S` (SOURCES.md says which).
//
//   node scripts/corpus-listing-to-save.mjs [--table nat] < listing > dump.rules
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} text the listing
 * @param {{ table?: string }} [opts] the table of an `iptables -S` listing that names none
 * @returns {string} iptables-save text
 */
export function listingToSave(text, opts = {}) {
  const out = [];
  let table = opts.table;
  let open = false;
  let rules = false;
  const begin = () => {
    if (open) return;
    if (!table) throw new Error('no table: give --table or a `*table` line first');
    out.push(`*${table}`);
    open = true;
    rules = false;
  };
  const close = () => {
    if (open) out.push('COMMIT');
    open = false;
  };
  const header = (line, n, chain) => {
    begin();
    if (rules) throw new Error(`line ${n}: chain ${chain} declared after rules: ${line}`);
    out.push(line);
  };
  for (const [i, line] of text.split('\n').entries()) {
    const n = i + 1;
    const words = line.split(' ');
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      close();
      table = line.slice(1);
    } else if (line === 'COMMIT') close();
    else if (/^:\S+ \S+ \[\d+:\d+\]$/.test(line)) header(line, n, words[0].slice(1));
    else if (/^-P \S+ (ACCEPT|DROP)$/.test(line)) header(`:${words[1]} ${words[2]} [0:0]`, n, words[1]);
    else if (/^-N \S+$/.test(line)) header(`:${words[1]} - [0:0]`, n, words[1]);
    else if (line.startsWith('-A ')) {
      begin();
      rules = true;
      out.push(line);
    } else throw new Error(`line ${n}: not a rule listing line: ${line}`);
  }
  close();
  return out.length ? `${out.join('\n')}\n` : '';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--table');
  const table = at > 0 ? process.argv[at + 1] : undefined;
  try {
    process.stdout.write(listingToSave(readFileSync(0, 'utf8'), { table }));
  } catch (e) {
    console.error(`corpus-listing-to-save: ${e.message}`);
    process.exit(2);
  }
}
