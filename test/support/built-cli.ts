/**
 * The built CLI (bin/fleet.js) under plain node, as a user runs it, on small repositories made
 * here: the shipped profiles and an inventory of loopback hosts (nothing these tests run connects).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export function builtFleet(dir: string, ...args: string[]) {
  const r = spawnSync('node', [path.join(ROOT, 'bin/fleet.js'), '-C', dir, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary repository: the shipped profiles and `inventory/hosts.yaml` with these host lines. */
export function loopbackRepo(tag: string, hosts: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `fleet-${tag}-`));
  cpSync(path.join(ROOT, 'profiles'), path.join(dir, 'profiles'), { recursive: true });
  mkdirSync(path.join(dir, 'inventory'));
  writeFileSync(
    path.join(dir, 'inventory/hosts.yaml'),
    `settings:\n  management_sources: [192.0.2.10/32]\ngroups:\n  web-servers: { profile: web-servers }\n  db-servers: { profile: db-servers }\nhosts:\n${hosts}`,
  );
  return dir;
}
