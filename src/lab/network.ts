/**
 * The lab's network in the root namespace: guard routes, bridges, one namespace and veth per
 * host, and their removal. Commands go to `ip -batch` (one process for the whole lab) and
 * `ip -n NS -batch` (one per host); names come from the plan, never from free text.
 */
import { writeFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { InputError } from '../errors.js';
import { GUARD_METRIC, type HostPlan, type LabPlan, overlaps4 } from './addressing.js';
import { mustRun, run } from './exec.js';

/** Unreachable routes for the whole lab (v4 and v6) at a high metric: no lab packet ever leaves
 * through the uplink, even when the bridge is gone. Left in place by `down`, on purpose. */
export async function addGuardRoutes(subnet: string, subnet6: string): Promise<void> {
  await mustRun('ip', ['-4', 'route', 'replace', 'unreachable', subnet, 'metric', String(GUARD_METRIC)]);
  await mustRun('ip', ['-6', 'route', 'replace', 'unreachable', subnet6, 'metric', String(GUARD_METRIC)]);
}

interface RouteJson {
  dst?: string;
  dev?: string;
  type?: string;
}

/** Refuse a subnet that some other route on this machine already covers (e.g. the uplink's). */
export async function checkSubnetFree(plan: LabPlan): Promise<void> {
  const routes = JSON.parse((await mustRun('ip', ['-j', '-4', 'route', 'show'])) || '[]') as RouteJson[];
  const ours = new Set([plan.bridge, plan.hiddenBridge].filter(Boolean));
  for (const r of routes) {
    if (!r.dst || r.dst === 'default') continue;
    if (r.dev && ours.has(r.dev)) continue;
    if (r.type === 'unreachable' && r.dst === plan.subnet) continue;
    if (overlaps4(r.dst, plan.subnet)) {
      throw new InputError(
        `lab subnet ${plan.subnet} overlaps the route ${r.dst}${r.dev ? ` on ${r.dev}` : ''} of this machine: choose another with --subnet`,
      );
    }
  }
}

async function batch(lines: string[], netns?: string, force = false): Promise<void> {
  if (lines.length === 0) return;
  const args = [...(netns ? ['-n', netns] : []), ...(force ? ['-force'] : []), '-batch', '-'];
  if (force) await run('ip', args, { input: `${lines.join('\n')}\n` });
  else await mustRun('ip', args, { input: `${lines.join('\n')}\n` });
}

async function sysctl(path: string, value: string): Promise<void> {
  await writeFile(`/proc/sys/${path}`, value);
}

/** Bridges, namespaces, veths; then each host's own addresses. */
export async function createNetwork(plan: LabPlan): Promise<void> {
  const lines: string[] = [
    `link add ${plan.bridge} type bridge forward_delay 0 stp_state 0 mcast_snooping 0`,
    `addr add ${plan.workstation.v4}/24 dev ${plan.bridge}`,
    `addr add ${plan.workstation.v6}/64 dev ${plan.bridge} nodad`,
  ];
  if (plan.hiddenBridge) {
    lines.push(`link add ${plan.hiddenBridge} type bridge forward_delay 0 stp_state 0 mcast_snooping 0`);
  }
  for (const h of plan.hosts) {
    lines.push(`netns add ${h.netns}`);
    lines.push(`link add ${h.veth} type veth peer name eth0 netns ${h.netns}`);
    if (h.second) lines.push(`link add ${h.second.veth} type veth peer name eth1 netns ${h.netns}`);
  }
  await batch(lines);
  // The workstation gets no address at all (not even link-local) on the hidden bridge, nor on
  // the root ends of the veths.
  const rootEnds = plan.hosts.flatMap((h) => [h.veth, ...(h.second ? [h.second.veth] : [])]);
  for (const dev of [...rootEnds, ...(plan.hiddenBridge ? [plan.hiddenBridge] : [])]) {
    await sysctl(`net/ipv6/conf/${dev}/disable_ipv6`, '1');
  }
  const up: string[] = [`link set ${plan.bridge} up`];
  if (plan.hiddenBridge) up.push(`link set ${plan.hiddenBridge} up`);
  for (const h of plan.hosts) {
    up.push(`link set ${h.veth} master ${h.bridge} up`);
    if (h.second) up.push(`link set ${h.second.veth} master ${plan.hiddenBridge} up`);
  }
  await batch(up);
  const limit = pLimit(8);
  await Promise.all(plan.hosts.map((h) => limit(() => batch(hostLines(h), h.netns))));
}

/** Inside one host's namespace: loopback, eth0, and the bastion's eth1. ip_forward stays 0. */
export function hostLines(h: HostPlan): string[] {
  const lines = [
    'link set lo up',
    `addr add ${h.address}/${h.prefix4} dev eth0`,
    `addr add ${h.address6}/${h.prefix6} dev eth0 nodad`,
    'link set eth0 up',
  ];
  if (h.second) {
    lines.push(
      `addr add ${h.second.address}/27 dev eth1`,
      `addr add ${h.second.address6}/112 dev eth1 nodad`,
      'link set eth1 up',
    );
  }
  return lines;
}

export interface LabNetNames {
  netns: string[];
  links: string[];
}

/** Every namespace and link of lab `name` (id `id`) present now, found by name pattern, so a
 * lab whose state file is lost is still cleaned. */
export async function findLabNetwork(name: string, id: number): Promise<LabNetNames> {
  const nsOut = (await run('ip', ['netns', 'list'])).stdout;
  const esc = name.replace(/[-]/g, '\\-');
  const nsRe = new RegExp(`^(fleetlab-${esc}-\\d{2,3}|fleetprobe-${id}-[0-9a-f]+)$`);
  const netns = nsOut
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((n) => nsRe.test(n));
  const links = JSON.parse((await run('ip', ['-j', 'link', 'show'])).stdout || '[]') as Array<{
    ifname: string;
  }>;
  const linkRe = new RegExp(`^(flb${id}|flh${id}|fl${id}v\\d+|fl${id}b|fl${id}p[0-9a-f]+)$`);
  return { netns, links: links.map((l) => l.ifname).filter((n) => linkRe.test(n)) };
}

/** Remove namespaces and links (idempotent: anything already gone is fine). */
export async function removeNetwork(names: LabNetNames): Promise<void> {
  await batch(
    [...names.netns.map((n) => `netns del ${n}`), ...names.links.map((l) => `link del ${l}`)],
    undefined,
    true,
  );
}
