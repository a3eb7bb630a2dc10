/**
 * The lab's RPM flavour: a Debian root that carries what an RPM host's package and firewall
 * tooling touch — dnf 4 (and `yum` as its old name, as on RHEL 8+), an initialised rpm database
 * at /var/lib/rpm, a local RPM repository with updateinfo (one security advisory), a release
 * package that tells dnf the release version, /etc/os-release of an RPM family, /etc/redhat-release
 * and /etc/sysconfig for saved rules — and no apt-get. It is not RHEL: the kernel, iptables and
 * OpenSSH are Debian's (docs/lab.md). Packages are built here with rpmbuild and indexed with
 * createrepo_c, inside the root, with no network.
 */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Debian packages the RPM flavour adds to the base packages. */
export const RPM_FLAVOR_PACKAGES = ['dnf', 'dnf-plugins-core', 'rpm', 'createrepo-c'];

/** Inside the RPM root: the repository dnf reads (file:, no network). */
export const RPM_REPO_PATH = '/opt/fleet-lab-rpm';

/** Two packages at 1.0 installed, 1.1 in the repository; only the canary's update is a security advisory. */
export const RPM_PACKAGES = [
  { name: 'fleet-lab-canary', security: true },
  { name: 'fleet-lab-tool', security: false },
] as const;
export const RPM_OLD = '1.0';
export const RPM_NEW = '1.1';
export const RPM_ADVISORY = 'FLEETLAB-2026:0001';

export const RPM_OS_RELEASE = `NAME="fleet lab RPM host"
ID=fleetlab-rpm
ID_LIKE="rhel centos fedora"
VERSION_ID=1
PRETTY_NAME="fleet lab RPM host 1 (Debian 12 userland with dnf 4; not RHEL)"
`;

const SPEC = `Name: %{pkg}
Version: %{ver}
Release: 1
Summary: a package of the fleet lab
License: MIT
BuildArch: noarch
%{?provides_release:Provides: system-release = %{ver}}
%{?provides_release:Provides: system-release(releasever) = 1}
%description
A package of the fleet lab's RPM hosts; it installs one small file.
%install
mkdir -p %{buildroot}/usr/share/%{pkg}
echo %{ver} > %{buildroot}/usr/share/%{pkg}/VERSION
%files
/usr/share/%{pkg}/VERSION
`;

const REPO_FILE = `[fleet-lab-rpm]
name=fleet lab RPM repository (local, no network)
baseurl=file://${RPM_REPO_PATH}
enabled=1
gpgcheck=0
metadata_expire=0
`;

const LOCAL_PLUGIN_OFF = '[main]\nenabled = 0\n';

/** An updateinfo.xml with one security advisory: the canary's 1.1. */
export function renderUpdateinfo(): string {
  const pkgs = RPM_PACKAGES.filter((p) => p.security)
    .map(
      (
        p,
      ) => `        <package name="${p.name}" version="${RPM_NEW}" release="1" epoch="0" arch="noarch" src="${p.name}-${RPM_NEW}-1.src.rpm">
          <filename>${p.name}-${RPM_NEW}-1.noarch.rpm</filename>
        </package>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="fleet-lab" status="final" type="security" version="1">
    <id>${RPM_ADVISORY}</id>
    <title>fleet-lab-canary: a security update</title>
    <severity>Important</severity>
    <issued date="2026-11-01 00:00:00"/>
    <description>The lab's canary package, 1.0 to 1.1, published as a security advisory.</description>
    <pkglist>
      <collection short="fleet-lab">
        <name>fleet lab</name>
${pkgs}
      </collection>
    </pkglist>
  </update>
</updates>
`;
}

/** Runs a command chrooted into the root under construction. */
export type InRoot = (argv: string[]) => Promise<string>;

/** Turn a debootstrapped root (with RPM_FLAVOR_PACKAGES) into the RPM flavour. */
export async function customizeRpm(root: string, inRoot: InRoot): Promise<void> {
  // rpm's database where RHEL keeps it (Debian's rpm defaults to ~/.rpmdb).
  await mkdir(join(root, 'etc/rpm'), { recursive: true });
  await writeFile(join(root, 'etc/rpm/macros.dbpath'), '%_dbpath /var/lib/rpm\n');
  await mkdir(join(root, 'var/lib/rpm'), { recursive: true });
  await inRoot(['rpm', '--initdb']);

  const top = '/tmp/fleet-lab-rpmbuild';
  await mkdir(join(root, top.slice(1)), { recursive: true });
  await writeFile(join(root, top.slice(1), 'package.spec'), SPEC);
  const build = async (pkg: string, ver: string, release = false) => {
    const defs = ['pkg', pkg, 'ver', ver, ...(release ? ['provides_release', '1'] : [])];
    const args = ['rpmbuild', '-bb', '--quiet', '--define', `_topdir ${top}/top`];
    for (let i = 0; i < defs.length; i += 2) args.push('--define', `${defs[i]} ${defs[i + 1]}`);
    await inRoot([...args, `${top}/package.spec`]);
    return `${top}/top/RPMS/noarch/${pkg}-${ver}-1.noarch.rpm`;
  };
  const installed = [await build('fleet-lab-release', '1', true)];
  for (const p of RPM_PACKAGES) installed.push(await build(p.name, RPM_OLD));
  await inRoot(['rpm', '--install', '--nodeps', '--quiet', ...installed]);

  const repo = join(root, RPM_REPO_PATH.slice(1));
  await mkdir(repo, { recursive: true });
  for (const p of RPM_PACKAGES) await inRoot(['cp', await build(p.name, RPM_NEW), RPM_REPO_PATH]);
  await inRoot(['createrepo_c', '--quiet', RPM_REPO_PATH]);
  await writeFile(join(root, top.slice(1), 'updateinfo.xml'), renderUpdateinfo());
  await inRoot(['modifyrepo_c', '--mdtype=updateinfo', `${top}/updateinfo.xml`, `${RPM_REPO_PATH}/repodata`]);
  await rm(join(root, top.slice(1)), { recursive: true, force: true });

  // Debian's dnf-plugins-core turns on the `local` plugin (RHEL does not ship it on): its
  // repository of every installed package fails dnf's gpgcheck and every upgrade with it.
  await writeFile(join(root, 'etc/dnf/plugins/local.conf'), LOCAL_PLUGIN_OFF);

  const reposD = join(root, 'etc/yum.repos.d');
  await rm(reposD, { recursive: true, force: true });
  await mkdir(reposD, { recursive: true });
  await writeFile(join(reposD, 'fleet-lab.repo'), REPO_FILE);

  // An RPM family host: yum is dnf under its old name; no apt; RHEL's files for saved rules.
  await symlink('dnf', join(root, 'usr/bin/yum'));
  for (const apt of ['usr/bin/apt-get', 'usr/bin/apt', 'usr/bin/apt-cache', 'etc/debian_version'])
    await rm(join(root, apt), { force: true });
  await rm(join(root, 'etc/os-release'), { force: true });
  await rm(join(root, 'usr/lib/os-release'), { force: true });
  await writeFile(join(root, 'etc/os-release'), RPM_OS_RELEASE);
  await writeFile(join(root, 'etc/redhat-release'), 'fleet lab RPM host release 1 (not RHEL)\n');
  await mkdir(join(root, 'etc/sysconfig'), { recursive: true });
}
