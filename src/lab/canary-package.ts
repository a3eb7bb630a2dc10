/**
 * fleet-lab-canary: a tiny Debian package made here, so a lab host has something real to upgrade
 * with no network. 1.0 is installed in the base root; 1.1 sits in a local file: repository.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun } from './exec.js';

export const CANARY = 'fleet-lab-canary';
export const CANARY_OLD = '1.0';
export const CANARY_NEW = '1.1';
/** Inside the base root. */
export const REPO_PATH = '/opt/fleet-lab-repo';
export const REPO_LINE = `deb [trusted=yes] file:${REPO_PATH} ./`;

/** Build `fleet-lab-canary_<version>_all.deb` in `outDir` from a scratch folder; returns its path. */
export async function buildCanaryDeb(version: string, scratch: string, outDir: string): Promise<string> {
  const pkg = join(scratch, `${CANARY}-${version}`);
  await mkdir(join(pkg, 'DEBIAN'), { recursive: true });
  await mkdir(join(pkg, 'usr/share', CANARY), { recursive: true });
  await mkdir(join(pkg, 'usr/bin'), { recursive: true });
  await writeFile(
    join(pkg, 'DEBIAN/control'),
    [
      `Package: ${CANARY}`,
      `Version: ${version}`,
      'Architecture: all',
      'Maintainer: fleet lab <root@localhost>',
      'Section: misc',
      'Priority: optional',
      'Description: canary package of the fleet lab',
      ' Installed at 1.0 in the lab base root; 1.1 waits in the local repository so that',
      ' apt-get upgrade on a lab host has real work and needs no network.',
      '',
    ].join('\n'),
  );
  await writeFile(join(pkg, 'usr/share', CANARY, 'VERSION'), `${version}\n`);
  await writeFile(join(pkg, 'usr/bin', CANARY), `#!/bin/sh\necho ${CANARY} ${version}\n`, { mode: 0o755 });
  await mkdir(outDir, { recursive: true });
  const deb = join(outDir, `${CANARY}_${version}_all.deb`);
  await mustRun('dpkg-deb', ['--root-owner-group', '--build', pkg, deb]);
  return deb;
}

function digests(data: Buffer): { md5: string; sha1: string; sha256: string } {
  const h = (alg: string) => createHash(alg).update(data).digest('hex');
  return { md5: h('md5'), sha1: h('sha1'), sha256: h('sha256') };
}

/** Write a flat repository index (Packages + an unsigned Release) for the debs in `repoDir`. */
export async function writeRepoIndex(repoDir: string, debs: string[]): Promise<void> {
  const stanzas: string[] = [];
  for (const deb of debs) {
    const data = await readFile(deb);
    const control = await mustRun('dpkg-deb', ['--field', deb]);
    const d = digests(data);
    const name = deb.slice(deb.lastIndexOf('/') + 1);
    stanzas.push(
      `${control.trimEnd()}\nFilename: ./${name}\nSize: ${data.length}\nMD5sum: ${d.md5}\nSHA1: ${d.sha1}\nSHA256: ${d.sha256}\n`,
    );
  }
  const packages = Buffer.from(`${stanzas.join('\n')}`);
  await writeFile(join(repoDir, 'Packages'), packages);
  const p = digests(packages);
  const size = (await stat(join(repoDir, 'Packages'))).size;
  const release = [
    'Origin: fleet-lab',
    'Label: fleet-lab',
    'Architectures: all amd64 arm64',
    `Date: ${new Date().toUTCString()}`,
    'MD5Sum:',
    ` ${p.md5} ${size} Packages`,
    'SHA256:',
    ` ${p.sha256} ${size} Packages`,
    '',
  ].join('\n');
  await writeFile(join(repoDir, 'Release'), release);
}
