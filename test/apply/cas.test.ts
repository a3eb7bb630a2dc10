/**
 * Compare-and-swap: the digest fleet computes from the rules it read (cas.ts) and the one the
 * transaction script recomputes on the host (CAS_FN, run here by real sh and awk) agree on every
 * dump of the corpus, in both restore modes; and they part when a rule the swap rewrites moves,
 * but not when only a preserved chain (fail2ban's bans) changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAS_FN, casDigest, casLines, casScope, changedChains } from '../../src/ops/apply/cas.js';
import { compile, parseSave, planRestore } from '../../src/ruleset/index.js';
import { base, HOST, MGMT } from '../ruleset/fixtures/profiles.js';
import { IPTABLES_SAVE_CORPUS } from '../support/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-cas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the host's cas_check with `cat` as the save command: true when the digest matches. */
function hostCheck(save: string, restore: string, noflush: boolean, digest: string): boolean {
  writeFileSync(join(dir, 'restore'), restore);
  const script = `have() { command -v "$1" >/dev/null 2>&1; }\nnf=${noflush ? '--noflush' : ''}\n${CAS_FN}\ncas_check cat "$1" "$2" && echo same || echo moved`;
  const out = execFileSync('sh', ['-c', script, 'cas', join(dir, 'restore'), digest], {
    input: save,
    encoding: 'utf8',
  });
  return out.trim() === 'same';
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
    expect(hostCheck('garbage', r.text, r.noflush, '')).toBe(true);
  });
});
