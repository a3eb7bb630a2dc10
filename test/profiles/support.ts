/** Test helpers: load profiles written to a temp repo, or the messages loading them throws. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/errors.js';
import type { Profile, Source } from '../../src/model/profile.js';
import { loadProfiles } from '../../src/profiles/index.js';

export const MGMT: Source[] = [
  { cidr: '10.213.0.1/32', family: 4 },
  { cidr: 'fd42:f1ee::1/128', family: 6 },
];

export function writeProfiles(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-prof-'));
  mkdirSync(path.join(dir, 'profiles'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'profiles', name), text);
  return dir;
}

export function profiles(files: Record<string, string>, management: Source[] = MGMT): Map<string, Profile> {
  return loadProfiles(writeProfiles(files), { managementSources: management });
}

export function profileProblems(
  files: Record<string, string>,
  management: Source[] | 'none' = MGMT,
): string[] {
  const dir = writeProfiles(files);
  try {
    // 'none': as if no inventory was loaded.
    loadProfiles(dir, { managementSources: management === 'none' ? undefined : management });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.message.split('\n').map((l) => l.replaceAll(`${dir}/`, './'));
  }
  throw new Error('expected an InputError, but the profiles loaded');
}
