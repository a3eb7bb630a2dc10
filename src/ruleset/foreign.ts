/**
 * Foreign chains: chains another tool owns (Docker, Kubernetes, fail2ban...). A profile's
 * `preserve` globs say which ones fleet leaves alone; KNOWN_FOREIGN names the usual owners so
 * plan and audit can warn when a host has chains that apply would wipe.
 */
import { FLEET_CHAIN_PREFIX } from './compile/names.js';

export interface ForeignOwner {
  glob: string;
  owner: string;
}

/** Chains that are recognisably another tool's, with that tool's name. */
export const KNOWN_FOREIGN: readonly ForeignOwner[] = [
  { glob: 'DOCKER', owner: 'Docker' },
  { glob: 'DOCKER-*', owner: 'Docker' },
  { glob: 'DOCKER_*', owner: 'Docker' },
  { glob: 'KUBE-*', owner: 'Kubernetes (kube-proxy, kubelet)' },
  { glob: 'KIND-*', owner: 'kind (Kubernetes in Docker)' },
  { glob: 'CNI-*', owner: 'CNI plugins' },
  { glob: 'CATTLE_*', owner: 'Rancher' },
  { glob: 'cali-*', owner: 'Calico' },
  { glob: 'FLANNEL-*', owner: 'Flannel' },
  { glob: 'WEAVE*', owner: 'Weave Net' },
  { glob: 'CILIUM_*', owner: 'Cilium' },
  { glob: 'f2b-*', owner: 'fail2ban' },
  { glob: 'fail2ban-*', owner: 'fail2ban' },
  { glob: 'ufw-*', owner: 'ufw' },
  { glob: 'ufw6-*', owner: 'ufw' },
  { glob: 'sshguard', owner: 'sshguard' },
  { glob: 'LIBVIRT_*', owner: 'libvirt' },
  { glob: '*_direct', owner: 'firewalld' },
  { glob: '*_ZONES', owner: 'firewalld' },
  { glob: '*_ZONES_SOURCE', owner: 'firewalld' },
  { glob: 'IN_*', owner: 'firewalld' },
  { glob: 'FWDI_*', owner: 'firewalld' },
  { glob: 'FWDO_*', owner: 'firewalld' },
  { glob: 'PRE_*', owner: 'firewalld' },
  { glob: 'POST_*', owner: 'firewalld' },
  { glob: 'neutron-*', owner: 'OpenStack Neutron' },
  { glob: 'nova-*', owner: 'OpenStack Nova' },
  { glob: 'OPENSHIFT-*', owner: 'OpenShift' },
  { glob: 'OS_FIREWALL_ALLOW', owner: 'OpenShift' },
  { glob: 'ts-*', owner: 'Tailscale' },
];

const globCache = new Map<string, RegExp>();

/** Shell-style glob: `*` any run of characters, `?` one character; case matters, as in chain names. */
export function globMatch(glob: string, name: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re.test(name);
}

/** Is this chain one fleet must leave alone under these `preserve` globs? Fleet's own never are. */
export function isForeignChain(name: string, preserve: readonly string[]): boolean {
  if (name.startsWith(FLEET_CHAIN_PREFIX)) return false;
  return preserve.some((g) => globMatch(g, name));
}

/** The tool that recognisably owns a chain, if any. */
export function knownForeignOwner(name: string): string | undefined {
  return KNOWN_FOREIGN.find((f) => globMatch(f.glob, name))?.owner;
}
