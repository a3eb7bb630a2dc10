/**
 * The closing summary of `dnf upgrade` / `yum update`: sections such as `Upgraded:`, `Installed:`,
 * `Removed:` listing packages until a blank line. dnf 4 lists NEVRAs (`bash-5.1.8-6.el9_1.x86_64`),
 * yum 3 lists `name.arch epoch:version-release` pairs, several per line. The update result falls
 * back on it when the script was cut off before it could list installed versions. Pure.
 */
export interface RpmPackage {
  name: string;
  version: string;
}

export interface RpmTransaction {
  /** Section title (without the colon) → packages, e.g. `Upgraded` → [{curl, 7.76.1-29.el9_4}]. */
  sections: Map<string, RpmPackage[]>;
  complete: boolean;
  nothingToDo: boolean;
}

const TITLE =
  /^(Upgraded|Updated|Installed|Dependency Installed|Dependency Updated|Removed|Erased|Replaced|Obsoleted|Downgraded|Reinstalled):\s*$/;

export function parseRpmTransaction(text: string): RpmTransaction {
  const sections = new Map<string, RpmPackage[]>();
  let title: string | null = null;
  for (const line of text.split('\n')) {
    const m = TITLE.exec(line.trim());
    if (m) {
      title = m[1]!;
      sections.set(title, []);
    } else if (!line.trim()) title = null;
    else if (title && /^\s/.test(line)) sections.get(title)!.push(...packagesIn(line));
  }
  return { sections, complete: /^Complete!$/m.test(text), nothingToDo: /^Nothing to do\.?$/m.test(text) };
}

/** Packages in one summary line, for both the yum 3 pair form and the dnf NEVRA form. */
export function packagesIn(line: string): RpmPackage[] {
  const tokens = line.trim().split(/\s+/);
  const out: RpmPackage[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (next && /^\d+:/.test(next)) {
      out.push({ name: t.replace(/\.[^.]+$/, ''), version: next.replace(/^0:/, '') });
      i++;
    } else out.push(splitNevra(t));
  }
  return out;
}

/** `name-[epoch:]version-release.arch` → name and `[epoch:]version-release`. */
export function splitNevra(nevra: string): RpmPackage {
  const parts = nevra.replace(/\.[^.-]+$/, '').split('-');
  if (parts.length < 3) return { name: parts.join('-'), version: '' };
  return { name: parts.slice(0, -2).join('-'), version: parts.slice(-2).join('-') };
}

const AFTER_UPGRADE = ['Upgraded', 'Updated', 'Dependency Updated'];

/** Upgraded packages as changes whose old version is unknown (the summary does not say it). */
export function upgradedFromTransaction(t: RpmTransaction): { name: string; old: string; new: string }[] {
  return AFTER_UPGRADE.flatMap((title) => t.sections.get(title) ?? []).map((p) => ({
    name: p.name,
    old: 'unknown',
    new: p.version,
  }));
}
