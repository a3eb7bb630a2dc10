/**
 * `dnf check-update` / `yum check-update` output: one `name.arch  version  repo` record per
 * pending upgrade, after whatever header lines the tool and its plugins print. yum and dnf wrap a
 * record over two or three lines when a field is too wide (the rest indented on the next line).
 * An `Obsoleting Packages` section follows: flush-left records there are upgrades too, indented
 * ones are the packages they replace (skipped). Pure.
 */
export interface PendingRpm {
  /** `name.arch`, as rpm and check-update name it. */
  name: string;
  version: string;
  repo: string;
}

const NAME_ARCH = /^[^\s:]+\.[A-Za-z0-9_]+$/;
const OBSOLETING = /^Obsoleting packages/i;

interface Pending {
  tokens: string[];
  keep: boolean;
}

export function parseCheckUpdate(text: string): PendingRpm[] {
  const found = new Map<string, PendingRpm>();
  let obsoletes = false;
  let cur: Pending | null = null;
  for (const line of text.split('\n')) {
    if (OBSOLETING.test(line)) {
      obsoletes = true;
      cur = null;
      continue;
    }
    cur = feedLine(line, cur, obsoletes);
    if (cur && cur.tokens.length >= 3) {
      if (cur.keep) addRecord(found, cur.tokens);
      cur = null;
    }
  }
  return [...found.values()];
}

/** One line: continue the open record, start a new one, or skip a header line. */
function feedLine(line: string, cur: Pending | null, obsoletes: boolean): Pending | null {
  const tokens = line.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return cur;
  const indented = /^\s/.test(line);
  if (indented && cur) return { ...cur, tokens: [...cur.tokens, ...tokens] };
  if (!NAME_ARCH.test(tokens[0]!) || tokens.length > 3) return null;
  return { tokens, keep: !(obsoletes && indented) };
}

function addRecord(found: Map<string, PendingRpm>, tokens: string[]): void {
  const [name, version, repo] = tokens as [string, string, string];
  if (!found.has(name)) found.set(name, { name, version, repo });
}
