/**
 * known_hosts lookups (pure, plus a temporary file for `add`): the index by literal name must
 * answer exactly what matching every line would, in file order, and forget nothing a new key adds.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryMatches, hashName, KnownHosts, parseKnownHosts } from '../../src/remote/known-hosts.js';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C7okWi0dh2l9GKJl';
const ED2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIPYlqShG2cmRcYBpQ/cFZz8GPrSjtKVhlnNMuZ0G2eAf';
const RSA = 'AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7';

const TEXT = [
  `web1,10.0.0.5 ssh-ed25519 ${ED}`,
  `*.example.org ssh-rsa ${RSA}`,
  `${hashName('db1')} ssh-ed25519 ${ED2}`,
  `@revoked WEB1 ssh-ed25519 ${ED2}`,
  `@cert-authority web1 ssh-ed25519 ${ED}`,
  `web*,!web9 ssh-rsa ${RSA}`,
  `db1 ssh-rsa ${RSA}`,
  '',
].join('\n');

describe('known_hosts lookups', () => {
  const entries = parseKnownHosts(TEXT, 'known_hosts');
  const kh = new KnownHosts('known_hosts', entries);
  const byScan = (name: string) =>
    entries.filter((e) => e.marker !== 'cert-authority' && entryMatches(e, name)).map((e) => e.line);

  it('answers what matching every line answers, in file order, names case-insensitive', () => {
    for (const name of ['web1', 'WEB1', '10.0.0.5', 'db1', 'a.example.org', 'web9', 'web2', 'nobody']) {
      expect(
        kh.entriesFor(name).map((e) => e.line),
        name,
      ).toEqual(byScan(name));
    }
    expect(kh.entriesFor('web1').map((e) => e.line)).toEqual([1, 4, 6]);
    expect(kh.entriesFor('db1').map((e) => e.line)).toEqual([3, 7]);
    expect(kh.knownTypes('web1')).toEqual(['ssh-ed25519', 'ssh-rsa']);
  });

  it('a key added later is found for its name, and written hashed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fleet-kh-')), 'known_hosts');
    const k = new KnownHosts(file, parseKnownHosts(TEXT, file));
    expect(k.check('new1', Buffer.from(ED, 'base64')).status).toBe('unknown');
    await k.add('new1', Buffer.from(ED, 'base64'));
    expect(k.check('new1', Buffer.from(ED, 'base64')).status).toBe('ok');
    expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
  });
});
