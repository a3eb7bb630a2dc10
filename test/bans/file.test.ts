import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBanFile, writeBanFile } from '../../src/bans/file-io.js';
import { parseBanText } from '../../src/bans/file-parse.js';
import { addEntries, removeCidrs } from '../../src/bans/list.js';
import type { BanEntry } from '../../src/bans/types.js';
import { InputError } from '../../src/errors.js';

const HAND_WRITTEN = `# Incident 42 bans (kept by hand and by fleet)
bans:
  # the scanner from last night
  - address: 203.0.113.7
    reason: ssh brute force
    who: alice
    when: 2025-06-01T10:00:00Z
    expires: 2025-06-02T10:00:00Z
  - address: 2001:db8:0:0:1:0:0:1   # a v6 host
    who: bob
    when: 2025-06-01T11:00:00Z
  - address: 198.51.100.77/24
    reason: botnet
`;

const entry = (cidr: string, extra: Partial<BanEntry> = {}): BanEntry => ({
  cidr,
  family: cidr.includes(':') ? 6 : 4,
  who: 'carol',
  when: '2025-06-03T00:00:00.000Z',
  ...extra,
});

async function tmpFile(text?: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleet-bans-'));
  const file = path.join(dir, 'bans.yaml');
  if (text !== undefined) await writeFile(file, text);
  return file;
}

describe('bans.yaml', () => {
  it('reads and normalizes hand-written entries', () => {
    const { entries, problems } = parseBanText(HAND_WRITTEN, 'bans.yaml');
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.cidr)).toEqual([
      '203.0.113.7/32',
      '2001:db8::1:0:0:1/128',
      '198.51.100.0/24',
    ]);
    expect(entries[0]).toMatchObject({
      reason: 'ssh brute force',
      who: 'alice',
      expires: '2025-06-02T10:00:00.000Z',
    });
  });

  it('round-trips: edits keep comments and untouched entries, drop removed ones', async () => {
    const file = await tmpFile(HAND_WRITTEN);
    const bf = await readBanFile(file);
    const removed = removeCidrs(bf.entries, ['198.51.100.0/24']).list;
    const next = addEntries(removed, [entry('192.0.2.9/32', { reason: 'new' })]).list;
    await writeBanFile(bf, next);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# Incident 42 bans');
    expect(text).toContain('# the scanner from last night');
    expect(text).toContain('# a v6 host');
    expect(text).not.toContain('198.51.100');
    expect(text).toMatch(/- address: 192\.0\.2\.9\n\s+reason: new/);
    const again = await readBanFile(file);
    expect(again.entries).toEqual(next);
  });

  it('creates a missing file with a header, and an emptied list stays valid', async () => {
    const file = await tmpFile();
    const bf = await readBanFile(file);
    expect(bf.entries).toEqual([]);
    await writeBanFile(bf, [entry('2001:db8::7/128', { expires: '2025-06-04T00:00:00.000Z' })]);
    expect(await readFile(file, 'utf8')).toMatch(/^# The fleet's ban list/);
    expect((await readBanFile(file)).entries).toHaveLength(1);
    await writeBanFile(bf, []);
    expect((await readBanFile(file)).entries).toEqual([]);
  });

  it('dedupes entries that normalize to one CIDR, and the next write drops the copy', async () => {
    const file = await tmpFile(
      'bans:\n  - address: 203.0.113.7\n  - address: 203.0.113.7/32\n    reason: dup\n',
    );
    const bf = await readBanFile(file);
    expect(bf.entries.map((e) => e.cidr)).toEqual(['203.0.113.7/32']);
    await writeBanFile(bf, bf.entries);
    expect((await readFile(file, 'utf8')).match(/203\.0\.113\.7/g)).toHaveLength(1);
  });

  it('updates reason and expiry in place', async () => {
    const file = await tmpFile(HAND_WRITTEN);
    const bf = await readBanFile(file);
    const change = addEntries(bf.entries, [entry('203.0.113.7/32', { expires: '2025-07-01T00:00:00.000Z' })]);
    expect(change.added).toEqual([]);
    expect(change.updated).toHaveLength(1);
    await writeBanFile(bf, change.list);
    const e = (await readBanFile(file)).entries[0]!;
    expect(e).toMatchObject({ who: 'alice', reason: 'ssh brute force', expires: '2025-07-01T00:00:00.000Z' });
  });

  it.each([
    [
      'bans:\n  - address: 203.0.113.300\n',
      /bans\.yaml:2:14 bans\[0\]\.address: "203\.0\.113\.300" is not an IPv4/,
    ],
    ['bans:\n  - adress: 203.0.113.3\n', /bans\.yaml:2:5 bans\[0\]\.adress: unknown key "adress"/],
    ['bans:\n  - address: 10.0.0.0/4\n', /bans\.yaml:2:14 .*too wide/],
    ['bans:\n  - address: 10.0.0.1\n    expires: tomorrow\n', /bans\.yaml:3:14 .*"tomorrow" is not a time/],
    ['bans: 10.0.0.1\n', /bans\.yaml:1:7 bans: expected a list/],
    ['ban:\n  - address: 10.0.0.1\n', /bans\.yaml:1:1 ban: unknown key "ban"/],
    [
      'bans:\n  - address: [1\n',
      /bans\.yaml:3:1 YAML: Flow sequence in block collection must be sufficiently indented and end with a \]$/m,
    ],
  ])('refuses %j with file:line:col', async (text, message) => {
    const file = await tmpFile(text);
    const err = await readBanFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message.replace(file, 'bans.yaml')).toMatch(message);
  });

  it('accepts a too-wide entry marked force: true', () => {
    const r = parseBanText('bans:\n  - address: 10.0.0.0/4\n    force: true\n', 'b');
    expect(r.problems).toEqual([]);
    expect(r.entries[0]).toMatchObject({ cidr: '0.0.0.0/4', force: true });
  });
});
