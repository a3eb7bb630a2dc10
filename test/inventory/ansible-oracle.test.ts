/**
 * Ansible is the oracle: for every row, fleet's selection on the same Ansible inventory must list
 * exactly the hosts `ansible -i INV --list-hosts PATTERN [--limit X]` lists (Debian's ansible-core).
 * The table is compared as sets (ansible-playbook --list-hosts does not keep order, and Ansible
 * walks groups two or more levels down in Python set order); sample rows are compared in order.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadFleet, selectHosts } from '../../src/inventory/index.js';
import { ansibleEnv } from './support.js';

const run = promisify(execFile);
const FIXTURES = path.resolve('test/fixtures/ansible');
const ENV = ansibleEnv({
  ANSIBLE_CONFIG: path.join(FIXTURES, 'ansible.cfg'),
  ANSIBLE_HOST_PATTERN_MISMATCH: 'ignore',
});
const home = ENV.HOME!;

/** [pattern, limit?] */
const TABLE: [string, string?][] = [
  ['all'],
  ['*'],
  ['web'],
  ['db'],
  ['ungrouped'],
  ['prod'],
  ['dc1'],
  ['nothing'],
  ['web,db'],
  ['web:db'],
  [' web , db '],
  ['staging:lb'],
  ['web-01:db-a'],
  ['mail.example.com'],
  ['jump-01'],
  ['lonely-01'],
  ['prod:&web'],
  ['prod:&web:!web-02'],
  ['web:!eu'],
  ['&eu'],
  ['!web'],
  ['!web:!db'],
  ['web,&eu'],
  ['web,!web-01'],
  ['db:&us:!db-c'],
  ['prod:!us:&web'],
  ['dc1:&prod'],
  ['web:&db'],
  ['web-0*'],
  ['web-0?'],
  ['*.example.com'],
  ['~web-0[12]'],
  ['~(db|cache)-'],
  ['~WEB'],
  ['w*:&~.*0[24]$'],
  ['web[0]'],
  ['web[-1]'],
  ['web[1:2]'],
  ['web[2:]'],
  ['c*[0]'],
  ['cache-[13]'],
  ['d*'],
  ['*-1'],
  ['all', 'eu'],
  ['web', 'prod:!us'],
  ['db', 'web'],
  ['web*', '~.*-0[13]'],
  ['all', '!prod'],
  ['prod', 'nothing'],
];

/** `ansible -i INV --list-hosts PATTERN [--limit X]`: the ad-hoc command, one process per row. */
async function ansibleList(inventory: string, pattern: string, limit?: string): Promise<string[]> {
  const args = ['-i', inventory, '--list-hosts', pattern, ...(limit ? ['--limit', limit] : [])];
  return hostLines(await ansible('ansible', args), 4);
}

/**
 * The whole table in one `ansible-playbook --list-hosts` per limit (one play per pattern): the same
 * InventoryManager.get_hosts as `ansible --list-hosts`, without a Python start-up per row.
 */
async function ansibleTable(inventory: string): Promise<string[][]> {
  const out: string[][] = [];
  for (const limit of new Set(TABLE.map(([, l]) => l ?? ''))) {
    const rows = TABLE.map(([pat, l], i) => ({ pat, i, l: l ?? '' })).filter((r) => r.l === limit);
    const book = path.join(home, `plays-${rows[0]!.i}.yml`);
    writeFileSync(
      book,
      rows.map((r) => `- hosts: ${JSON.stringify(r.pat)}\n  gather_facts: false\n  tasks: []\n`).join(''),
    );
    const args = ['-i', inventory, '--list-hosts', book, ...(limit ? ['--limit', limit] : [])];
    const blocks = (await ansible('ansible-playbook', args)).split(/\n\s*play #\d+ /).slice(1);
    for (const [k, r] of rows.entries()) out[r.i] = blocks[k] === undefined ? [] : hostLines(blocks[k]!, 6);
  }
  return out;
}

async function ansible(cmd: string, args: string[]): Promise<string> {
  try {
    return (await run(cmd, args, { env: ENV, cwd: home })).stdout;
  } catch (e) {
    // Ansible exits 1 when --limit leaves nothing; that is an empty selection, not a failure.
    if (/leaves us with no hosts/.test(String((e as { stderr?: string }).stderr))) return '';
    throw e;
  }
}

function hostLines(text: string, indent: number): string[] {
  const re = new RegExp(`^ {${indent}}\\S`);
  const after = text.split(/hosts \(\d+\):\n/)[1] ?? '';
  return after
    .split('\n')
    .filter((l) => re.test(l))
    .map((l) => l.trim());
}

const sorted = (xs: string[]) => [...xs].sort();

/**
 * Rows also checked against the ad-hoc `ansible` command itself, in exact order: these touch
 * groups at most one level deep, where Ansible's order does not depend on Python set order.
 */
const ADHOC = [2, 5, 8, 17, 32, 37];

describe.each(['hosts.ini', 'hosts.yaml'])('selectors agree with Ansible on %s', (file) => {
  const inventory = path.join(FIXTURES, file);
  const fleet = loadFleet('.', { inventory });
  const ours = (i: number) => selectHosts(fleet, TABLE[i]![0], TABLE[i]![1]).map((h) => h.name);
  let expected: string[][] = [];

  it('ansible-playbook --list-hosts lists every row', { timeout: 120_000 }, async () => {
    expected = await ansibleTable(inventory);
    expect(expected).toHaveLength(TABLE.length);
    expect(expected[0]!.length).toBeGreaterThan(10);
  });

  it.each(TABLE.map(([p, l], i) => [p, l ?? '', i] as const))('%j --limit %j', (_p, _l, i) => {
    expect(sorted(ours(i))).toEqual(sorted(expected[i]!));
  });

  it('ansible --list-hosts (ad hoc) agrees on sample rows', { timeout: 120_000 }, async () => {
    for (const i of ADHOC) {
      const [pattern, limit] = TABLE[i]!;
      expect(sorted(ours(i)), `${pattern} --limit ${limit}`).toEqual(
        sorted(await ansibleList(inventory, pattern, limit)),
      );
    }
  });
});
