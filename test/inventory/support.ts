/** Test helpers: write a small fleet repository to a temp dir and collect the problems loading it. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/errors.js';
import { loadFleet } from '../../src/inventory/index.js';

export const OK_PROFILE = 'ssh: { sources: [192.0.2.0/24] }\n';

/** Files by relative path; a profiles/base.yaml is added unless given. Returns the repo dir. */
export function writeRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-inv-'));
  const all = { 'profiles/base.yaml': OK_PROFILE, ...files };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** The messages loadFleet throws for these files, with the temp dir cut to `./`. */
export function problemsOf(files: Record<string, string>, opts: { inventory?: string } = {}): string[] {
  const dir = writeRepo(files);
  try {
    loadFleet(dir, opts.inventory ? { inventory: path.join(dir, opts.inventory) } : {});
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.message.split('\n').map((l) => l.replaceAll(`${dir}/`, './'));
  }
  throw new Error('expected an InputError, but the fleet loaded');
}

/** The repository's shipped profiles/*.yaml, as files for writeRepo. */
export function shippedProfiles(): Record<string, string> {
  const names = readdirSync('profiles').filter((n) => n.endsWith('.yaml'));
  return Object.fromEntries(
    names.map((n) => [`profiles/${n}`, readFileSync(path.join('profiles', n), 'utf8')]),
  );
}

/** An environment for Ansible's CLI tools: a private temp home, no colour, INI and YAML plugins only. */
export function ansibleEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(path.join(tmpdir(), 'fleet-ansible-'));
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ANSIBLE_HOME: home,
    ANSIBLE_LOCAL_TEMP: path.join(home, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_INVENTORY_ENABLED: 'ini,yaml',
    LC_ALL: 'C.UTF-8',
    ...extra,
  };
}
