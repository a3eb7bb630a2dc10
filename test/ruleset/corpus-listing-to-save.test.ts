/**
 * scripts/corpus-listing-to-save.mjs, which made corpus 069 loadable (SOURCES.md): `iptables -S`
 * and save lines kept in order, `-A` lines unchanged, `#` notes and blank lines left out, every
 * table closed with COMMIT, any other line refused. And 069, which it made, is a fixed point of
 * it with the post's 70 rules and a COMMIT per table.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listingToSave } from '../../scripts/corpus-listing-to-save.mjs';
import { parseSave } from '../../src/ruleset/index.js';
import { IPTABLES_SAVE_CORPUS } from '../support/corpus.js';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'corpus-listing-to-save.mjs');

describe('corpus-listing-to-save', () => {
  it('turns an `iptables -S` listing into one table of iptables-save', () => {
    const listing = [
      '-P INPUT ACCEPT',
      '-P FORWARD DROP',
      '-N CILIUM_FORWARD',
      '-A FORWARD -m comment --comment "cilium-feeder: CILIUM_FORWARD" -j CILIUM_FORWARD',
      '-A CILIUM_FORWARD -i lxc+ -j ACCEPT',
    ].join('\n');
    expect(listingToSave(listing, { table: 'filter' })).toBe(
      [
        '*filter',
        ':INPUT ACCEPT [0:0]',
        ':FORWARD DROP [0:0]',
        ':CILIUM_FORWARD - [0:0]',
        '-A FORWARD -m comment --comment "cilium-feeder: CILIUM_FORWARD" -j CILIUM_FORWARD',
        '-A CILIUM_FORWARD -i lxc+ -j ACCEPT',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('closes every table of an annotated dump without COMMIT, leaving the notes out', () => {
    const dump = [
      '# mangle 表',
      '*mangle',
      ':PREROUTING ACCEPT [0:0]',
      '-A PREROUTING -j MARK --set-xmark 0x21/0xffffffff',
      '# a note on the rule',
      '',
      '# raw 表',
      '*raw',
      ':OUTPUT ACCEPT [3:4]',
      '-A OUTPUT -j CT --notrack',
      'COMMIT',
    ].join('\n');
    const out = listingToSave(dump);
    expect(out).toBe(
      '*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MARK --set-xmark 0x21/0xffffffff\nCOMMIT\n' +
        '*raw\n:OUTPUT ACCEPT [3:4]\n-A OUTPUT -j CT --notrack\nCOMMIT\n',
    );
    expect(parseSave(out, { family: 4 }).tables.map((t) => t.name)).toEqual(['mangle', 'raw']);
  });

  it('refuses what is not a listing line, a chain declared after rules, a rule without a table', () => {
    expect(() => listingToSave('*filter\nChain INPUT (policy ACCEPT)')).toThrow(
      'line 2: not a rule listing line: Chain INPUT (policy ACCEPT)',
    );
    expect(() => listingToSave('-A INPUT -j ACCEPT\n-N LATE', { table: 'filter' })).toThrow(
      'line 2: chain LATE declared after rules',
    );
    expect(() => listingToSave('-A INPUT -j ACCEPT')).toThrow('no table');
  });

  it('as a command: stdin to stdout, --table, exit 2 with the line on bad input', () => {
    const run = (input: string, ...args: string[]) =>
      execFileSync('node', [SCRIPT, ...args], { input, encoding: 'utf8', stdio: 'pipe' });
    expect(run('-P OUTPUT ACCEPT\n', '--table', 'raw')).toBe('*raw\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n');
    expect(() => run('*filter\n-X FOO\n')).toThrow(/line 2: not a rule listing line: -X FOO/);
  });

  it('069 holds the published rules unchanged and in order', () => {
    const dump = readFileSync(
      join(IPTABLES_SAVE_CORPUS, '069-cilium-kube-proxy-ipvs-annotated-2023.rules'),
      'utf8',
    );
    expect(listingToSave(dump)).toBe(dump); // already converted: a fixed point
    const rules = dump.split('\n').filter((l) => l.startsWith('-A '));
    expect(rules).toHaveLength(70);
    expect(dump.match(/^COMMIT$/gm)).toHaveLength(4);
    expect(dump).not.toMatch(/^#/m);
  });
});
