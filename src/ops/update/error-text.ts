/**
 * The short error text of a failed package-manager step: the lines apt (`E:`), dnf and yum
 * (`Error:`, `Errors during downloading metadata`, ` - ` details, `Problem:`) mark as errors, else
 * the last lines of stderr, else of stdout. Cut to MAX_ERROR chars. Pure.
 */
export const MAX_ERROR = 400;

const ERROR_LINE =
  /^(E: |Error|Errors during|\s+- |\s*Problem( \d+)?: |One of the configured repositories failed)/;

export function errorText(stderr: string, stdout = ''): string {
  const marked = markedLines(stderr);
  const lines = marked.length ? marked : markedLines(stdout);
  const picked = lines.length ? lines : lastLines(stderr) || lastLines(stdout);
  return clip(Array.isArray(picked) ? picked.join(' | ') : picked);
}

function markedLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => ERROR_LINE.test(l))
    .map((l) => l.trim());
}

function lastLines(text: string, n = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ');
}

function clip(s: string): string {
  return s.length > MAX_ERROR ? `${s.slice(0, MAX_ERROR - 1)}…` : s;
}
