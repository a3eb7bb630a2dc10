/**
 * A probe for tests: a short-lived namespace on the lab bridge holding one source address,
 * from which a TCP connect is tried. Tells whether a firewall lets that source through.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { InputError } from '../errors.js';
import { canonical6 } from './addressing.js';
import { run } from './exec.js';
import type { LabInfo } from './state.js';
import { readState } from './state.js';

export interface ProbeOptions {
  /** Source address (v4 or v6), inside the lab subnet, not used by a host or the workstation. */
  source: string;
  target: string;
  port: number;
  proto?: 'tcp';
  /** Seconds to wait for the connection (default 3). */
  timeout?: number;
}

/** Fixed script: $1 target, $2 port. bash's /dev/tcp connects, or fails on refusal or timeout. */
const CONNECT = 'exec 3<>"/dev/tcp/$1/$2"';

function inLab(lab: LabInfo, addr: string): boolean {
  const a = ipaddr.parse(addr);
  const net = ipaddr.parseCIDR(a.kind() === 'ipv4' ? lab.subnet : lab.subnet6);
  return a.match(net);
}

export async function labProbe(lab: LabInfo, probe: ProbeOptions): Promise<boolean> {
  const v = isIP(probe.source);
  const o =
    v === 6 && isIP(probe.target) === 6
      ? { ...probe, source: canonical6(probe.source), target: canonical6(probe.target) }
      : probe;
  if (v === 0 || isIP(o.target) !== v)
    throw new InputError('labProbe: source and target must be IP addresses of one family');
  if (!inLab(lab, o.source) || !inLab(lab, o.target))
    throw new InputError('labProbe: addresses must be in the lab subnet');
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new InputError('labProbe: bad port');
  if (
    lab.hosts.some((h) => h.address === o.source || h.address6 === o.source) ||
    o.source === lab.workstation.v4 ||
    o.source === lab.workstation.v6
  ) {
    throw new InputError(`labProbe: source ${o.source} belongs to a lab host or the workstation`);
  }
  const state = await readState(lab.name);
  if (!state) throw new InputError(`labProbe: lab ${lab.name} is not up`);
  const tag = randomBytes(2).toString('hex');
  const ns = `fleetprobe-${state.id}-${tag}`;
  const veth = `fl${state.id}p${tag}`;
  const bridge = state.bridges[0]!;
  // The same source always gets the same MAC, so a host's neighbour cache from an earlier
  // probe never points replies at a vanished interface.
  const mac = `02:${(createHash('sha1').update(o.source).digest('hex').slice(0, 10).match(/../g) ?? []).join(':')}`;
  const addrLine = v === 4 ? `addr add ${o.source}/24 dev eth0` : `addr add ${o.source}/64 dev eth0 nodad`;
  try {
    const setup = await run('ip', ['-batch', '-'], {
      input: `netns add ${ns}\nlink add ${veth} type veth peer name eth0 address ${mac} netns ${ns}\nlink set ${veth} master ${bridge} up\n`,
    });
    if (!setup.ok) throw new Error(`labProbe: set-up failed: ${setup.stderr.trim()}`);
    const inner = await run('ip', ['-n', ns, '-batch', '-'], {
      input: `link set lo up\n${addrLine}\nlink set eth0 up\n`,
    });
    if (!inner.ok) throw new Error(`labProbe: set-up failed: ${inner.stderr.trim()}`);
    const secs = String(o.timeout ?? 3);
    const r = await run('ip', [
      'netns',
      'exec',
      ns,
      'timeout',
      secs,
      'bash',
      '-c',
      CONNECT,
      'probe',
      o.target,
      String(o.port),
    ]);
    return r.ok;
  } finally {
    await run('ip', ['-force', '-batch', '-'], { input: `netns del ${ns}\nlink del ${veth}\n` });
  }
}
