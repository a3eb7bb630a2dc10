/**
 * The closing summary of `dnf upgrade` / `yum update`: sections such as `Upgraded:`, `Installed:`,
 * `Removed:` listing packages until a blank line. dnf 4 lists NEVRAs (`bash-5.1.8-6.el9_1.x86_64`),
 * yum 3 lists `name.arch epoch:version-release` pairs, several per line. Used to tell
 * "Nothing to do" from work done when the rpm lists are missing. Pure.
 */
export interface RpmTransaction {
  /** Section title (without the colon) → package names (without version and arch). */
  sections: Map<string, string[]>;
  complete: boolean;
  nothingToDo: boolean;
}

const TITLE =
  /^(Upgraded|Updated|Installed|Dependency Installed|Dependency Updated|Removed|Erased|Replaced|Obsoleted|Downgraded|Reinstalled):\s*$/;

export function parseRpmTransaction(text: string): RpmTransaction {
  const sections = new Map<string, string[]>();
  let title: string | null = null;
  for (const line of text.split('\n')) {
    const m = TITLE.exec(line.trim());
    if (m) {
      title = m[1]!;
      sections.set(title, []);
    } else if (!line.trim()) title = null;
    else if (title && /^\s/.test(line)) sections.get(title)!.push(...namesIn(line));
  }
  return { sections, complete: /^Complete!$/m.test(text), nothingToDo: /^Nothing to do\.?$/m.test(text) };
}

/** Names in one summary line, for both the yum 3 pair form and the dnf NEVRA form. */
export function namesIn(line: string): string[] {
  const tokens = line.trim().split(/\s+/);
  const names: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (next && /^\d+:/.test(next)) {
      names.push(t.replace(/\.[^.]+$/, ''));
      i++;
    } else names.push(nameOfNevra(t));
  }
  return names;
}

/** `name-[epoch:]version-release.arch` → name. */
export function nameOfNevra(nevra: string): string {
  const noArch = nevra.replace(/\.[^.-]+$/, '');
  const parts = noArch.split('-');
  return parts.length > 2 ? parts.slice(0, -2).join('-') : noArch;
}
