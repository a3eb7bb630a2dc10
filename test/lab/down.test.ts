/** `lab down` leaves nothing of its own behind but the guard routes; both verbs are idempotent,
 * and `up` after a crash recovers. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/lab/exec.js';
import { type LabInfo, labDown, labStatus, labUp } from '../../src/lab/index.js';
import { readState } from '../../src/lab/state.js';
import { labSsh, skipWithoutLab, testLabName } from '../support/lab.js';

const NAME = testLabName('tdown');
/** The first lab on a fresh machine builds the base root (minutes). */
const BUILD_TIMEOUT = 900_000;

interface Footprint {
  netns: string[];
  links: string[];
  pids: number[];
  mounts: string[];
  routes: string[];
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z'); // a zombie holds nothing
  } catch {
    return false;
  }
}

/** Every mount of every process that mentions the lab's state dir. */
function mountsUnder(dir: string): string[] {
  const found = new Set<string>();
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let text = '';
    try {
      text = readFileSync(`/proc/${p}/mounts`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) if (line.includes(dir)) found.add(line.split(' ')[1]!);
  }
  return [...found];
}

async function footprint(lab: LabInfo, id: number): Promise<Footprint> {
  const ns = (await run('ip', ['netns', 'list'])).stdout;
  const links = JSON.parse((await run('ip', ['-j', 'link', 'show'])).stdout) as Array<{ ifname: string }>;
  const pids: number[] = [];
  for (const h of lab.hosts) {
    pids.push(h.pid);
    try {
      pids.push(
        ...readFileSync(`/proc/${h.pid}/task/${h.pid}/children`, 'utf8').trim().split(/\s+/).map(Number),
      );
    } catch {
      // gone
    }
  }
  const r4 = (await run('ip', ['-4', 'route', 'show', 'root', lab.subnet])).stdout;
  const r6 = (await run('ip', ['-6', 'route', 'show', 'root', lab.subnet6])).stdout;
  return {
    netns: ns
      .split('\n')
      .map((l) => l.split(' ')[0]!)
      .filter((n) => n.startsWith(`fleetlab-${NAME}-`) || n.startsWith(`fleetprobe-${id}-`)),
    links: links.map((l) => l.ifname).filter((n) => new RegExp(`^(flb|flh)${id}$|^fl${id}[vbp]`).test(n)),
    pids: pids.filter((p) => p > 0 && alive(p)),
    mounts: mountsUnder(lab.stateDir),
    routes: `${r4}${r6}`.split('\n').filter(Boolean),
  };
}

describe('lab down', () => {
  skipWithoutLab();

  it(
    'leaves no namespace, mount, link, route (but the guard) or process of its own',
    async () => {
      const lab = await labUp({ name: NAME, count: 2, hidden: 1 });
      const id = (await readState(NAME))!.id;
      const before = await footprint(lab, id);
      expect(before.netns).toHaveLength(3);
      expect(before.links.length).toBeGreaterThanOrEqual(5); // 2 bridges, 3 veths, bastion's second
      expect(before.pids.length).toBeGreaterThanOrEqual(6); // an unshare and a pid 1 per host
      expect(before.mounts.length).toBeGreaterThan(0);
      expect(before.routes.some((r) => r.includes('dev flb'))).toBe(true);

      await labDown(NAME);
      const after = await footprint(lab, id);
      expect(after.netns).toEqual([]);
      expect(after.links).toEqual([]);
      expect(after.pids).toEqual([]);
      expect(after.mounts).toEqual([]);
      expect(after.routes).toHaveLength(2);
      expect(after.routes.every((r) => r.startsWith('unreachable '))).toBe(true);
      expect(existsSync(`${lab.stateDir}/hosts`)).toBe(false);
      expect((await labStatus(NAME)).up).toBe(false);

      await labDown(NAME); // idempotent
      expect(await footprint(lab, id)).toEqual(after);
    },
    BUILD_TIMEOUT,
  );

  it('up is idempotent, and up after a crash recovers', async () => {
    const first = await labUp({ name: NAME, count: 2 });
    const again = await labUp({ name: NAME, count: 2 });
    expect(again.hosts.map((h) => h.pid)).toEqual(first.hosts.map((h) => h.pid)); // nothing restarted

    // A crash: one host's processes die behind fleet's back.
    process.kill(first.hosts[1]!.pid, 'SIGKILL');
    const recovered = await labUp({ name: NAME, count: 2 });
    expect(recovered.hosts[1]!.pid).not.toBe(first.hosts[1]!.pid);
    for (const h of recovered.hosts)
      expect((await labSsh(recovered, h.address, 'hostname')).stdout.trim()).toBe(h.name);
    expect((await labStatus(NAME)).hosts.every((h) => h.sshd)).toBe(true);
    const id = (await readState(NAME))!.id;
    await labDown(NAME);
    expect(await footprint(recovered, id)).toMatchObject({ netns: [], links: [], pids: [], mounts: [] });
  });
});
