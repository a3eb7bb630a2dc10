/**
 * Compare-and-swap: the digest fleet computes from the rules it read (cas.ts) and the one the
 * transaction script recomputes on the host (BACKUP_CAS_FN, run here by real sh and awk) agree on every
 * dump of the corpus, in both restore modes; and they part when a rule the swap rewrites moves,
 * but not when only a preserved chain (fail2ban's bans) changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKUP_CAS_FN, casDigest, casLines, casScope, changedChains } from '../../src/ops/apply/cas.js';
import { parseSections, SECTION_FN } from '../../src/ops/sections.js';
import { compile, parseSave, planRestore } from '../../src/ruleset/index.js';
import { base, HOST, MGMT } from '../ruleset/fixtures/profiles.js';
import { IPTABLES_SAVE_CORPUS } from '../support/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-cas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the host's backup_cas with SAVE as the backup of both families ($b.v4, $b.v6) and the
 * digest of one family (v4, or v6 with the other digest empty): true when the digest matches.
 * On a move, the family it names.
 */
function hostCheck(
  save: string,
  restore: string,
  noflush: boolean,
  digest: string,
  family: 4 | 6 = 4,
): boolean {
  writeFileSync(join(dir, 'restore'), restore);
  for (const f of ['v4', 'v6']) writeFileSync(join(dir, `backup.${f}`), save);
  mkdirSync(join(dir, 'staged'), { recursive: true });
  const script = [
    SECTION_FN,
    `state="$1"; tx=t; nf=${noflush ? '--noflush' : ''}; s4="$1/restore"; s6="$1/restore"; b="$1/backup"`,
    BACKUP_CAS_FN,
    `if backup_cas ${family === 4 ? '"$2" ""' : '"" "$2"'} > /dev/null; then echo same; else echo "moved $raced"; fi`,
  ].join('\n');
  const out = execFileSync('sh', ['-c', script, 'cas', dir, digest], { encoding: 'utf8' }).trim();
  if (out !== 'same') expect(out).toBe(`moved v${family}`);
  return out === 'same';
}

const PRESERVE = ['DOCKER*', 'f2b-*', 'fail2ban-*', 'KUBE-*'];

function restoreFor(save: string, preserve: string[]): { text: string; noflush: boolean } {
  const family = 4;
  const desired = compile({ profile: { ...base, preserve }, host: HOST, managementSources: MGMT }).rulesets
    .v4;
  return planRestore(parseSave(save, { family }), desired, preserve);
}

const dumps = readdirSync(IPTABLES_SAVE_CORPUS).filter((f) => f.endsWith('.rules'));

describe('compare-and-swap digest', () => {
  it.each(dumps)('fleet and the host agree on %s, in both modes', (name) => {
    const save = readFileSync(join(IPTABLES_SAVE_CORPUS, name), 'utf8');
    let parsed: { text: string; noflush: boolean }[];
    try {
      parsed = [restoreFor(save, []), restoreFor(save, PRESERVE)];
    } catch {
      return; // a dump the parser refuses never reaches a swap
    }
    for (const r of parsed) {
      expect(hostCheck(save, r.text, r.noflush, casDigest(save, r.text, r.noflush))).toBe(true);
    }
  });

  const save = readFileSync(
    join(IPTABLES_SAVE_CORPUS, '002-docker-isolation-fail2ban-ssh-2016.rules'),
    'utf8',
  );
  const r = restoreFor(save, PRESERVE);
  const digest = casDigest(save, r.text, r.noflush);

  it('moves when a jump lands in INPUT, which the swap rewrites', () => {
    const raced = save.replace(
      /^(-A INPUT .*)$/m,
      '-A INPUT -p tcp -m multiport --dports 25 -j f2b-postfix\n$1',
    );
    expect(raced).not.toBe(save);
    expect(hostCheck(raced, r.text, r.noflush, digest)).toBe(false);
    const scope = casScope(r.text, r.noflush);
    expect(changedChains(casLines(save, scope), casLines(raced, scope))).toEqual(['filter/INPUT']);
  });

  it('stays when only a preserved chain changes, or only counters do', () => {
    const banned = save.replace(/^(-A fail2ban-ssh )(.*)$/m, '$1-s 198.51.100.9/32 -j REJECT\n$1$2');
    expect(banned).not.toBe(save);
    expect(hostCheck(banned, r.text, r.noflush, digest)).toBe(true);
    const counted = save.replace(/^:INPUT (\w+) \[\d+:\d+\]/m, ':INPUT $1 [77:8800]');
    expect(hostCheck(counted, r.text, r.noflush, digest)).toBe(true);
  });

  it('a full restore covers its whole tables', () => {
    const full = restoreFor(save, []);
    const banned = save.replace(/^(-A fail2ban-ssh )(.*)$/m, '$1-s 198.51.100.9/32 -j REJECT\n$1$2');
    expect(hostCheck(banned, full.text, false, casDigest(save, full.text, false))).toBe(false);
  });

  it('another digest is refused; an empty one checks nothing', () => {
    expect(hostCheck(save, r.text, r.noflush, '0'.repeat(64))).toBe(false);
    expect(hostCheck(save, r.text, r.noflush, '0'.repeat(64), 6)).toBe(false);
    expect(hostCheck(save, r.text, r.noflush, casDigest(save, r.text, r.noflush), 6)).toBe(true);
    expect(hostCheck('garbage', r.text, r.noflush, '')).toBe(true);
  });
});

describe('compare-and-swap: a table that only appeared', () => {
  // iptables-legacy shows a table only once something used it; the transaction's own
  // `ip6tables-restore --test` does, between fleet's read and the check (a fresh legacy host).
  const restore =
    '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n';
  const fresh =
    '# Generated by ip6tables-save\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';

  it.each([false, true])('counts as absent, on both sides (noflush %s)', (noflush) => {
    const digest = casDigest('', restore, noflush);
    expect(casLines(fresh, casScope(restore, noflush))).toEqual([]);
    expect(hostCheck(fresh, restore, noflush, digest)).toBe(true);
  });

  it('but a policy or a rule in it is a change', () => {
    const digest = casDigest('', restore, false);
    const dropped = fresh.replace(':FORWARD ACCEPT', ':FORWARD DROP');
    const ruled = fresh.replace('COMMIT', '-A INPUT -s 192.0.2.1/32 -j ACCEPT\nCOMMIT');
    for (const now of [dropped, ruled]) {
      expect(casLines(now, casScope(restore, false)).length).toBeGreaterThan(0);
      expect(hostCheck(now, restore, false, digest)).toBe(false);
    }
  });
});

describe('the backup the compare-and-swap reads', () => {
  it('is printed as saved, completed with the staged tables it lacks (empty, accepting), in the file too', () => {
    const save =
      '# Generated by iptables-save v1.8.9\n*filter\n:INPUT DROP [3:180]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n';
    const staged =
      '*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j FLEET-BANS\nCOMMIT\n*filter\n:INPUT DROP [0:0]\nCOMMIT\n';
    writeFileSync(join(dir, 'staged4'), staged);
    writeFileSync(join(dir, 'full.v4'), save);
    const script = [
      SECTION_FN,
      'state="$1"; tx=t; nf=""; s4="$1/staged4"; s6=""; b="$1/full"',
      BACKUP_CAS_FN,
      `backup_cas "${casDigest(save, staged, false)}" "" && echo same`,
    ].join('\n');
    const out = parseSections(execFileSync('sh', ['-c', script, 'cas', dir], { encoding: 'utf8' }));
    const added = '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT';
    expect(out.get('backup')).toBe(join(dir, 'full'));
    expect(out.get('backup4')).toBe(`${save}${added}\nsame`);
    expect(out.has('backup6')).toBe(false);
    expect(readFileSync(join(dir, 'full.v4'), 'utf8')).toBe(`${save}${added}\n`);
  });
});
