/** OpenSSH's wildcard patterns (match.c): `*` and `?`, comma lists, `!` negation. */

/** One glob pattern against a whole string (`*` any run, `?` one character). */
export function matchPattern(s: string, pattern: string): boolean {
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const p = pattern[pi];
    if (p === '?' || (p !== undefined && p !== '*' && p === s[si])) {
      si++;
      pi++;
    } else if (p === '*') {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else return false;
  }
  while (pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

/**
 * A comma-separated list like `a*,!b`: 1 if some positive entry matches and no negated one does,
 * -1 if a negated entry matches, 0 otherwise (OpenSSH match_pattern_list).
 */
export function matchPatternList(s: string, list: string, lowercase = false): -1 | 0 | 1 {
  const subject = lowercase ? s.toLowerCase() : s;
  let positive = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pat = (negated ? raw.slice(1) : raw).trim();
    const p = lowercase ? pat.toLowerCase() : pat;
    if (!matchPattern(subject, p)) continue;
    if (negated) return -1;
    positive = true;
  }
  return positive ? 1 : 0;
}

/** True when a host name matches a pattern list (case-insensitive, negation wins). */
export function matchHostList(host: string, list: string): boolean {
  return matchPatternList(host, list, true) === 1;
}
