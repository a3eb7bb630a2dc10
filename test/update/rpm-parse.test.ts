/**
 * dnf and yum output, parsed. The lab's RPM hosts run Debian's dnf 4.14 (test/update/rpm-lab.test.ts);
 * what only a real RHEL or CentOS prints is tested here on RECORDED OUTPUT FORMATS:
 * the fixtures in test/fixtures/update/ reproduce, line for line in layout, what dnf 4 (EL9) and
 * yum 3 (EL7) print for check-update, for an upgrade's transaction and for a metadata error,
 * including the wrapping yum and dnf do when a name or version is too wide and the
 * `Obsoleting Packages` section (layouts as published in dnf's and Ansible's bug reports).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/ops/update/error-text.js';
import { parseCheckUpdate } from '../../src/ops/update/rpm-check-update.js';
import {
  parseRpmTransaction,
  splitNevra,
  upgradedFromTransaction,
} from '../../src/ops/update/rpm-transaction.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/update/${name}`, import.meta.url), 'utf8');

describe('parseCheckUpdate (recorded dnf 4 output)', () => {
  const pending = parseCheckUpdate(fixture('dnf-check-update.txt'));
  const names = pending.map((p) => p.name);

  it('reads every record, a wrapped long name included, obsoleters once each', () => {
    expect(names).toEqual([
      'bash.x86_64',
      'curl.x86_64',
      'kernel.x86_64',
      'libcurl.x86_64',
      'python3-libdnf-plugin-versionlock-extras-for-long-names.noarch',
      'selinux-policy.noarch',
      'tzdata.noarch',
      'vim-minimal.x86_64',
      'grub2-tools.x86_64',
      'grub2-tools-efi.x86_64',
    ]);
  });

  it('keeps epochs and repos, and skips the obsoleted (indented) packages', () => {
    expect(pending).toContainEqual({
      name: 'vim-minimal.x86_64',
      version: '2:8.2.2637-20.el9_1',
      repo: 'baseos',
    });
    expect(pending.find((p) => p.name === 'grub2-tools.x86_64')?.version).toBe('1:2.06-77.el9');
    expect(names.some((n) => n.startsWith('grub2-tools-extra'))).toBe(false);
    expect(pending.find((p) => p.name.startsWith('python3-libdnf'))?.repo).toBe('appstream');
  });
});

describe('parseCheckUpdate (recorded yum 3 output)', () => {
  const pending = parseCheckUpdate(fixture('yum-check-update.txt'));

  it('skips plugin and mirror header lines and Security: notes', () => {
    expect(pending.map((p) => p.name)).toEqual([
      'bind-libs.x86_64',
      'bind-license.noarch',
      'ca-certificates.noarch',
      'extremely-long-package-name-from-a-third-party-repository-that-wraps.x86_64',
      'openssl-libs.x86_64',
      'screen.x86_64',
      'python2-pip.noarch',
      'python36-requests.noarch',
    ]);
  });

  it('joins records wrapped over three lines', () => {
    const long = pending.find((p) => p.name.startsWith('extremely-long'));
    expect(long).toEqual({
      name: 'extremely-long-package-name-from-a-third-party-repository-that-wraps.x86_64',
      version: '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1-3',
      repo: 'vendor',
    });
    expect(pending.find((p) => p.name === 'screen.x86_64')?.repo).toBe('updates');
  });

  it('finds nothing in empty or header-only output', () => {
    expect(parseCheckUpdate('')).toEqual([]);
    expect(
      parseCheckUpdate('Loaded plugins: fastestmirror\nLoading mirror speeds from cached hostfile\n'),
    ).toEqual([]);
  });
});

describe('parseRpmTransaction (recorded dnf 4 and yum 3 upgrades)', () => {
  it('reads dnf NEVRA lists under Upgraded/Installed/Removed', () => {
    const t = parseRpmTransaction(fixture('dnf-upgrade.txt'));
    expect(t.complete).toBe(true);
    expect(t.sections.get('Upgraded')).toEqual([
      { name: 'curl', version: '7.76.1-29.el9_4' },
      { name: 'libcurl', version: '7.76.1-29.el9_4' },
      { name: 'vim-minimal', version: '2:8.2.2637-20.el9_1' },
    ]);
    expect(t.sections.get('Installed')?.map((p) => p.name)).toEqual(['kernel', 'kernel-core']);
    expect(t.sections.get('Removed')).toEqual([{ name: 'kernel', version: '5.14.0-362.8.1.el9_3' }]);
  });

  it('reads yum name.arch epoch:version pairs, several on a line', () => {
    const t = parseRpmTransaction(fixture('yum-update.txt'));
    expect(upgradedFromTransaction(t)).toEqual([
      { name: 'openssl-libs', old: 'unknown', new: '1:1.0.2k-26.el7_9' },
      { name: 'polkit', old: 'unknown', new: '0.112-26.el7_9.2' },
    ]);
  });

  it('tells "Nothing to do." apart', () => {
    const t = parseRpmTransaction('Dependencies resolved.\nNothing to do.\nComplete!\n');
    expect(t).toMatchObject({ nothingToDo: true, complete: true });
    expect(t.sections.size).toBe(0);
  });

  it('splits NEVRAs with dashes in the name and an epoch', () => {
    expect(splitNevra('bind-libs-32:9.11.36-3.el8.x86_64')).toEqual({
      name: 'bind-libs',
      version: '32:9.11.36-3.el8',
    });
  });
});

describe('errorText', () => {
  it('keeps the marked lines of a dnf metadata error, short', () => {
    const text = errorText(fixture('dnf-metadata-error.txt'));
    expect(text.startsWith("Errors during downloading metadata for repository 'epel':")).toBe(true);
    expect(text).toContain("Error: Failed to download metadata for repo 'epel'");
    expect(text.length).toBeLessThanOrEqual(400);
  });

  it("keeps apt's E: lines and drops its warnings", () => {
    const stderr = [
      'W: Some index files failed to download.',
      'E: Malformed entry 1 in list file /etc/apt/sources.list.d/broken.list (Component)',
      'E: The list of sources could not be read.',
    ].join('\n');
    expect(errorText(stderr)).toBe(
      'E: Malformed entry 1 in list file /etc/apt/sources.list.d/broken.list (Component) | E: The list of sources could not be read.',
    );
  });

  it('falls back on the last lines when nothing is marked', () => {
    expect(errorText('one\ntwo\nthree\nfour\n')).toBe('two | three | four');
    expect(errorText('', 'only stdout\n')).toBe('only stdout');
  });
});
