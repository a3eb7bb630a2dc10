/**
 * Blocklist feeds (`fleet bans import FILE`): one address or CIDR per line, `#` and `;` start a
 * comment (Spamhaus DROP: `1.10.16.0/20 ; SBL256894`; FireHOL levels: `# ...` headers, then one
 * CIDR a line). Every line is checked like a `fleet ban` argument (address, width, the guard);
 * each bad line is a problem naming FILE:line:column, and one problem means nothing is sent.
 * Pure: the caller reads the file.
 */
import type { Problem } from '../errors.js';
import { type BanTarget, isTooWide, parseBanTarget } from './address.js';
import { tooWideMessage } from './file-parse.js';
import { conflictMessage, findConflict, type ProtectedRange } from './guard.js';

export interface FeedParse {
  /** Unique targets, in file order. */
  targets: BanTarget[];
  problems: Problem[];
  /** Lines that held a ban (duplicates included). */
  lines: number;
}

export function parseFeed(
  text: string,
  file: string,
  ranges: readonly ProtectedRange[],
  force: boolean,
): FeedParse {
  const out: FeedParse = { targets: [], problems: [], lines: 0 };
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const body = raw.replace(/[#;].*$/, '');
    const word = body.trim();
    if (word === '') return;
    out.lines++;
    const r = checkLine(word, ranges, force);
    if (typeof r === 'string') {
      out.problems.push({ pos: { file, line: i + 1, col: body.indexOf(word) + 1 }, message: r });
    } else if (!seen.has(r.cidr)) {
      seen.add(r.cidr);
      out.targets.push(r);
    }
  });
  return out;
}

/** The line's target, or what is wrong with it. */
function checkLine(word: string, ranges: readonly ProtectedRange[], force: boolean): BanTarget | string {
  if (/\s/.test(word)) return `"${word}": one address or CIDR per line`;
  const r = parseBanTarget(word);
  if (!r.ok) return r.message;
  const conflict = findConflict(r.target, ranges);
  if (conflict) return conflictMessage(word, r.target, conflict);
  if (isTooWide(r.target) && !force) return tooWideMessage(r.target.cidr);
  return r.target;
}
