/** The lab's inventory (native format, docs/team-brief.md) and known_hosts, as pure text. */
import { stringify } from 'yaml';
import { GROUP_BASTION, GROUP_DB, GROUP_HIDDEN, GROUP_PARENT, GROUP_WEB } from './addressing.js';
import type { LabHost } from './state.js';

export interface InventoryInput {
  name: string;
  knownHostsPath: string;
  identityPath: string;
  workstation: { v4: string; v6: string };
  hosts: LabHost[];
}

const PROFILED = new Set([GROUP_WEB, GROUP_DB, GROUP_BASTION]);

export function renderInventory(lab: InventoryInput): string {
  const used: string[] = [];
  for (const h of lab.hosts) for (const g of h.groups) if (!used.includes(g)) used.push(g);
  const order = [GROUP_WEB, GROUP_DB, GROUP_BASTION, GROUP_HIDDEN];
  const names = [...order.filter((g) => used.includes(g)), ...used.filter((g) => !order.includes(g)).sort()];
  const groups: Record<string, unknown> = {};
  for (const g of names) groups[g] = PROFILED.has(g) ? { profile: g } : {};
  groups[GROUP_PARENT] = { children: names };
  const hosts: Record<string, unknown> = {};
  for (const h of lab.hosts) {
    hosts[h.name] = {
      address: h.address,
      groups: h.groups,
      ...(h.proxyJump ? { proxy_jump: h.proxyJump } : {}),
      vars: {
        address6: h.address6,
        ...(h.inner ? { inner_addresses: [h.inner.address, h.inner.address6] } : {}),
      },
    };
  }
  const doc = {
    settings: {
      known_hosts: lab.knownHostsPath,
      management_sources: [`${lab.workstation.v4}/32`, `${lab.workstation.v6}/128`],
    },
    defaults: { user: 'root', identity: lab.identityPath },
    groups,
    hosts,
  };
  const head = `# fleet lab "${lab.name}": written by \`fleet lab up\`; rewritten on every up.\n`;
  return head + stringify(doc, { lineWidth: 0 });
}

/** One line per host: its name and both addresses share its ed25519 key. */
export function renderKnownHosts(hosts: Array<LabHost & { publicKey: string }>): string {
  return hosts
    .map((h) => {
      const [type, key] = h.publicKey.trim().split(/\s+/);
      return `${h.name},${h.address},${h.address6} ${type} ${key}\n`;
    })
    .join('');
}
