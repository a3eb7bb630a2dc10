/** Shared by the apply lab tests: a fleet repository with the shipped profiles, listeners, rules. */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabInfo, labHostExec } from '../../src/lab/index.js';

/** A repository of its own: the shipped profiles plus any extra ones (name → YAML). */
export function repoWithProfiles(tag: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `fleet-${tag}-`));
  cpSync('profiles', join(dir, 'profiles'), { recursive: true });
  for (const [name, yaml] of Object.entries(extra))
    writeFileSync(join(dir, 'profiles', `${name}.yaml`), yaml);
  return dir;
}

/** TCP listeners on a host (python's http.server), so a probe can tell open from filtered. */
export async function listen(lab: LabInfo, host: string, ports: number[]): Promise<void> {
  for (const port of ports) {
    const script = 'setsid python3 -m http.server "$1" --bind :: >/dev/null 2>&1 </dev/null &';
    await labHostExec(lab, host, ['sh', '-c', script, 'sh', String(port)]);
  }
  await new Promise((r) => setTimeout(r, 700));
}

/**
 * A host's IPv4 rules as text to compare: no comments or counters, and no table that only
 * holds empty built-in chains with ACCEPT policies (the same to the kernel as no table at all).
 */
export async function hostRules(lab: LabInfo, host: string): Promise<string> {
  const r = await labHostExec(lab, host, ['iptables-save']);
  const lines = r.stdout.split('\n').filter((l) => l && !l.startsWith('#'));
  const tables = lines
    .join('\n')
    .split(/\n(?=\*)/)
    .filter(Boolean);
  return tables
    .map((t) => t.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .filter((t) => !t.split('\n').every((l) => /^(\*\w+|:\S+ ACCEPT \[0:0\]|COMMIT)$/.test(l)))
    .join('\n');
}

export async function fileExists(lab: LabInfo, host: string, path: string): Promise<boolean> {
  return (await labHostExec(lab, host, ['test', '-e', path])).ok;
}

export async function listDir(lab: LabInfo, host: string, path: string): Promise<string[]> {
  const r = await labHostExec(lab, host, ['ls', '-1', path]);
  return r.ok ? r.stdout.split('\n').filter(Boolean) : [];
}

/**
 * All a host's firewall holds, to compare before and after: both families' rules in every
 * table (`iptables-save`: its header comments and the counters aside) and every ipset.
 */
export async function firewallState(lab: LabInfo, host: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const argv of [['iptables-save'], ['ip6tables-save'], ['ipset', 'save']]) {
    const r = await labHostExec(lab, host, argv);
    const lines = r.stdout.split('\n').filter((l) => !l.startsWith('#'));
    out[argv.join(' ')] = lines.map((l) => l.replace(/\[\d+:\d+\]/g, '[0:0]')).join('\n');
  }
  return out;
}
