/**
 * Which lab has which id and subnet: /var/lib/fleet-lab/labs.json, changed only under a lock so
 * concurrent `lab up`s never get the same /24. An allocation is kept after `down`, so a lab keeps
 * its subnet (and its guard routes stay meaningful).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { defaultSubnet, overlaps4, parseSubnet } from './addressing.js';
import { withLock } from './lock.js';
import { STATE_ROOT } from './paths.js';

export interface Allocation {
  id: number;
  subnet: string;
}

interface Registry {
  labs: Record<string, Allocation>;
}

const FILE = () => join(STATE_ROOT, 'labs.json');

async function readRegistry(): Promise<Registry> {
  try {
    const r = JSON.parse(await readFile(FILE(), 'utf8')) as Registry;
    return r && typeof r.labs === 'object' ? r : { labs: {} };
  } catch {
    return { labs: {} };
  }
}

async function writeRegistry(r: Registry): Promise<void> {
  const tmp = `${FILE()}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(r, null, 2)}\n`);
  await rename(tmp, FILE());
}

/** The lab's allocation, if it has one (no lock: read-only). */
export async function findAllocation(name: string): Promise<Allocation | undefined> {
  return (await readRegistry()).labs[name];
}

/** Pure: the allocation for `name` given the others; throws on a subnet taken by another lab. */
export function allocate(labs: Record<string, Allocation>, name: string, subnet?: string): Allocation {
  const others = Object.entries(labs).filter(([n]) => n !== name);
  if (subnet !== undefined) {
    parseSubnet(subnet);
    const clash = others.find(([, a]) => overlaps4(a.subnet, subnet));
    if (clash) throw new InputError(`lab subnet ${subnet} is already used by lab "${clash[0]}"`);
  }
  const current = labs[name];
  if (current) return subnet === undefined ? current : { id: current.id, subnet };
  const ids = new Set(others.map(([, a]) => a.id));
  let id = 0;
  while (ids.has(id)) id++;
  if (subnet !== undefined) return { id, subnet };
  for (let k = 0; k < 256; k++) {
    const s = defaultSubnet(k);
    if (!others.some(([, a]) => overlaps4(a.subnet, s))) return { id, subnet: s };
  }
  throw new InputError('every default lab subnet (10.213.0.0/16) is taken: pass --subnet');
}

export async function allocateLab(name: string, subnet?: string): Promise<Allocation> {
  await mkdir(STATE_ROOT, { recursive: true });
  return withLock(join(STATE_ROOT, 'registry.lock'), 60_000, async () => {
    const r = await readRegistry();
    const a = allocate(r.labs, name, subnet);
    if (r.labs[name]?.id !== a.id || r.labs[name]?.subnet !== a.subnet) {
      r.labs[name] = a;
      await writeRegistry(r);
    }
    return a;
  });
}
