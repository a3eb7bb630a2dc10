/**
 * The known owners: tools that write iptables rules of their own and keep writing them while
 * fleet runs. Data, not code: each entry says how to recognise the tool's chains, and the rules
 * it puts in built-in chains (by comment, ipset, packet mark or interface), what deleting its
 * chains would break, and whether it rebuilds its chains when it restarts (then an active one
 * is refused unless the profile takes it over). Names were checked against the tools' sources
 * and public iptables-save dumps; docs/coexistence.md has the table. First match wins, so more
 * specific entries (kube-router's KUBE-ROUTER-*) come before general ones (kubernetes' KUBE-*).
 *
 * Globs: `*` any run of characters, `?` one character; case matters.
 */

export interface KnownOwner {
  /** The name a profile writes in `preserve` and `takeover`. */
  tool: string;
  /** How a person calls it. */
  title: string;
  /** Its user chains, in any table. */
  chains: readonly string[];
  /** Comments it puts on its rules in built-in chains. */
  comments?: readonly string[];
  /** ipsets its rules match (`-m set --match-set NAME`). */
  sets?: readonly string[];
  /** Packet marks it sets or matches (`VALUE/MASK` as iptables-save prints them). */
  marks?: readonly string[];
  /** Interfaces it creates, whose rules in built-in chains are its own. */
  interfaces?: readonly string[];
  /**
   * Well-known addresses it serves on: a rule in a built-in chain to (`-d`) or from (`-s`) one
   * of them, on one of its ports (`--dport`/`--sport`), is its own. Not negated ones.
   */
  endpoints?: readonly { address: string; ports: readonly string[] }[];
  /** What stops working when its chains are deleted. */
  breaks: string;
  /** It rebuilds its chains on restart and owns the policies: active means refused unless taken over. */
  rebuilds?: boolean;
  /**
   * Its `sets` hold the addresses it banned. The lockout guard takes it that none holds a
   * management source (whitelisting them is the tool's own setting: fail2ban's `ignoreip`...).
   */
  banSets?: boolean;
}

export const KNOWN_OWNERS: readonly KnownOwner[] = [
  {
    tool: 'docker',
    title: 'Docker',
    chains: ['DOCKER', 'DOCKER-*', 'DOCKER_*'],
    interfaces: ['docker0', 'docker_gwbridge', 'br-????????????'],
    breaks: 'containers lose their published ports, outbound NAT and the isolation between networks',
  },
  {
    tool: 'kube-router',
    title: 'kube-router',
    chains: ['KUBE-ROUTER-*', 'KUBE-POD-FW-*', 'KUBE-NWPLCY-*'],
    comments: ['kube-router *'],
    sets: ['KUBE-SRC-*', 'KUBE-DST-*', 'kube-router-*'],
    marks: ['0x10000/0x10000', '0x20000/0x20000'],
    interfaces: ['kube-bridge'],
    breaks: 'network policies stop filtering pod traffic and pod-to-host traffic is dropped',
  },
  {
    tool: 'kubernetes',
    title: 'Kubernetes (kube-proxy, kubelet)',
    chains: ['KUBE-*'],
    comments: ['kubernetes *', 'kube-proxy *'],
    sets: ['KUBE-*'],
    marks: ['0x4000/0x4000', '0x8000/0x8000'],
    breaks: 'Services, NodePorts and the masquerade of pod traffic stop working',
  },
  {
    tool: 'calico',
    title: 'Calico',
    chains: ['cali-*'],
    comments: ['cali:*'],
    sets: ['cali40*', 'cali60*'],
    interfaces: ['cali*', 'tunl0', 'vxlan.calico', 'vxlan-v6.calico', 'wireguard.cali'],
    breaks: 'pods lose their network policy, their routing to the host and their outbound NAT',
  },
  {
    tool: 'cilium',
    title: 'Cilium',
    chains: ['CILIUM_*', 'OLD_CILIUM_*'],
    comments: ['cilium*'],
    sets: ['cilium_node_set_v4', 'cilium_node_set_v6'],
    interfaces: ['cilium_*', 'lxc*'],
    breaks: 'pod traffic to and from the host, and the masquerade of pod traffic, stop working',
  },
  {
    tool: 'flannel',
    title: 'Flannel',
    chains: ['FLANNEL-*'],
    comments: ['flanneld *'],
    interfaces: ['flannel.*', 'flannel-wg*', 'cni0'],
    breaks: 'pods on this node lose forwarding to other nodes and their outbound NAT',
  },
  {
    tool: 'kind',
    title: 'kind (Kubernetes in Docker)',
    chains: ['KIND-*'],
    breaks: 'the kind cluster loses the masquerade of its pod traffic',
  },
  {
    tool: 'cni',
    title: 'CNI plugins (portmap, bridge)',
    chains: ['CNI-*'],
    comments: ['CNI portfwd *', 'name: *'],
    breaks: 'containers lose their host ports and outbound NAT',
  },
  {
    tool: 'fail2ban',
    title: 'fail2ban',
    chains: ['f2b-*', 'fail2ban-*'],
    sets: ['f2b-*'],
    banSets: true,
    breaks: 'banned addresses are let in again and new bans block nothing',
  },
  {
    tool: 'sshguard',
    title: 'sshguard',
    chains: ['sshguard'],
    sets: ['sshguard4', 'sshguard6'],
    banSets: true,
    breaks: 'addresses sshguard blocked are let in again and new attacks are not blocked',
  },
  {
    tool: 'crowdsec',
    title: 'CrowdSec firewall bouncer',
    chains: ['CROWDSEC_*'],
    sets: ['crowdsec-blacklists*', 'crowdsec6-blacklists*'],
    banSets: true,
    breaks: 'addresses CrowdSec decided to ban are let in again',
  },
  {
    tool: 'ufw',
    title: 'ufw',
    chains: ['ufw-*', 'ufw6-*'],
    breaks: "ufw's allow and deny rules stop applying (and ufw puts them back on its next reload)",
    rebuilds: true,
  },
  {
    tool: 'firewalld',
    title: 'firewalld',
    chains: [
      '*_direct',
      '*_ZONES',
      '*_ZONES_SOURCE',
      '*_POLICIES',
      '*_POLICIES_pre',
      '*_POLICIES_post',
      'IN_*',
      'FWD_*',
      'FWDI_*',
      'FWDO_*',
      'PRE_*',
      'POST_*',
    ],
    breaks: "firewalld's zones stop applying (and firewalld puts them back on its next reload)",
    rebuilds: true,
  },
  {
    tool: 'tailscale',
    title: 'Tailscale',
    chains: ['ts-*'],
    marks: ['0x40000/0xff0000', '0x80000/0xff0000'],
    breaks: 'the tailnet loses its inbound and forwarded traffic and the masquerade of subnet routes',
  },
  {
    tool: 'wireguard',
    title: 'WireGuard (wg-quick)',
    chains: [],
    comments: ['wg-quick(8) rule for *'],
    marks: ['0xca6c', '0xca6c/0xffffffff'],
    breaks: "wg-quick's full-tunnel routing loses its connection marks and its anti-spoofing rules",
  },
  {
    tool: 'libvirt',
    title: 'libvirt',
    chains: ['LIBVIRT_*'],
    interfaces: ['virbr*'],
    breaks: 'virtual machines lose DHCP, DNS and NAT on their virtual networks',
  },
  {
    tool: 'lxd',
    title: 'LXD',
    chains: [],
    comments: ['generated for LXD network *', 'generated for LXD container *'],
    interfaces: ['lxdbr*'],
    breaks: 'containers lose DHCP, DNS and NAT on their bridge',
  },
  {
    tool: 'incus',
    title: 'Incus',
    chains: [],
    comments: ['generated for Incus network *', 'generated for Incus container *'],
    interfaces: ['incusbr*'],
    breaks: 'containers lose DHCP, DNS and NAT on their bridge',
  },
  {
    tool: 'weave',
    title: 'Weave Net',
    chains: ['WEAVE*'],
    interfaces: ['weave'],
    breaks: 'pods lose the Weave network policy and NAT',
  },
  {
    tool: 'rancher',
    title: 'Rancher',
    chains: ['CATTLE_*'],
    breaks: "Rancher's node networking stops working",
  },
  {
    tool: 'openstack',
    title: 'OpenStack Neutron, Nova',
    chains: ['neutron-*', 'nova-*'],
    breaks: 'instances lose their security groups and floating IPs',
  },
  {
    tool: 'openshift',
    title: 'OpenShift',
    chains: ['OPENSHIFT-*', 'OS_FIREWALL_ALLOW'],
    breaks: "the cluster's node ports and SDN stop working",
  },
  {
    // node-cache's accepts for its link-local address: commented by newer versions, bare before
    tool: 'node-local-dns',
    title: 'NodeLocal DNSCache (Kubernetes node-cache)',
    chains: [],
    comments: ['NodeLocal DNS Cache: *'],
    endpoints: [{ address: '169.254.20.10', ports: ['53'] }],
    breaks: "pods lose DNS: the node's cache on 169.254.20.10 is no longer let in and out",
  },
];

/** In `preserve`, the word for every known owner's chains. */
export const ALL_KNOWN_OWNERS = 'known-owners';

export function knownOwner(tool: string): KnownOwner | undefined {
  return KNOWN_OWNERS.find((o) => o.tool === tool);
}

/**
 * A profile's `preserve` entries as chain globs: a known owner's name stands for its chains,
 * `known-owners` for every known owner's; anything else is a chain name or glob already.
 */
export function preserveGlobs(preserve: readonly string[]): readonly string[] {
  const key = preserve.join('\n');
  let out = expanded.get(key);
  if (!out) {
    const globs = preserve.flatMap((p) => {
      if (p === ALL_KNOWN_OWNERS) return KNOWN_OWNERS.flatMap((o) => o.chains);
      return knownOwner(p)?.chains ?? [p];
    });
    out = [...new Set(globs)];
    expanded.set(key, out);
  }
  return out;
}

const expanded = new Map<string, readonly string[]>();
