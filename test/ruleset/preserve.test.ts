/**
 * Preserve on real iptables: a host running Docker and fail2ban (corpus dump 002) or kube-proxy
 * (009) gets fleet's ruleset through planRestore + `iptables-restore --noflush`. Foreign chains
 * and the jumps to them stay as they were (a ban fail2ban adds meanwhile too), the nat table is
 * untouched, and afterwards the diff against the profile is empty.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../src/model/profile.js';
import {
  compile,
  diff,
  findChain,
  findTable,
  normalize,
  parseSave,
  planRestore,
  type Ruleset,
  renderDiff,
} from '../../src/ruleset/index.js';
import { IPTABLES_SAVE_CORPUS } from '../support/corpus.js';
import { Netns, netnsUnavailable } from '../support/netns.js';
import { base, HOST, MGMT } from './fixtures/profiles.js';

const DIR = IPTABLES_SAVE_CORPUS;
const why = await netnsUnavailable();

function desiredFor(preserve: string[], extra: Partial<Profile> = {}): Ruleset {
  const profile = { ...base, preserve, ...extra };
  return compile({ profile, host: HOST, managementSources: MGMT }).rulesets.v4;
}

function rulesOf(rs: Ruleset, table: string, chain: string): string[] {
  const c = findChain(findTable(normalize(rs), table), chain);
  return (c?.rules ?? []).map((r) => r.args.join(' '));
}

describe.skipIf(why !== undefined)('preserve on real iptables', () => {
  let ns: Netns;
  beforeEach(async () => {
    ns = await Netns.create();
  });
  afterEach(async () => {
    await ns.destroy();
  });

  async function current(): Promise<Ruleset> {
    return parseSave(await ns.save(4), { family: 4 });
  }

  async function apply(desired: Ruleset, preserve: string[]): Promise<void> {
    const plan = planRestore(await current(), desired, preserve);
    expect(plan.noflush).toBe(preserve.length > 0);
    const test = await ns.restore(plan.text, { family: 4, test: true, noflush: plan.noflush });
    expect(test.code, test.stderr).toBe(0);
    const r = await ns.restore(plan.text, { family: 4, noflush: plan.noflush });
    expect(r.code, r.stderr).toBe(0);
  }

  it('Docker + fail2ban: foreign chains, their jumps and nat stay; fleet converges', async () => {
    expect(
      (
        await ns.restore(readFileSync(`${DIR}/002-docker-isolation-fail2ban-ssh-2016.rules`, 'utf8'), {
          family: 4,
        })
      ).code,
    ).toBe(0);
    const before = await current();
    const preserve = ['DOCKER*', 'fail2ban-*'];
    const desired = desiredFor(preserve);
    const plan = planRestore(before, desired, preserve);
    // fail2ban bans someone between our read and our write: the ban must survive.
    expect(
      (await ns.exec(['iptables', '-I', 'fail2ban-ssh', '1', '-s', '198.51.100.99', '-j', 'REJECT'])).code,
    ).toBe(0);
    expect((await ns.restore(plan.text, { family: 4, noflush: true })).code).toBe(0);
    const after = await current();

    expect(rulesOf(after, 'filter', 'fail2ban-ssh')[0]).toContain('198.51.100.99/32');
    expect(rulesOf(after, 'filter', 'DOCKER-ISOLATION')).toEqual(
      rulesOf(before, 'filter', 'DOCKER-ISOLATION'),
    );
    expect(normalize({ family: 4, tables: [findTable(after, 'nat')!] })).toEqual(
      normalize({ family: 4, tables: [findTable(before, 'nat')!] }),
    );
    const input = rulesOf(after, 'filter', 'INPUT');
    expect(input[0]).toContain('-j fail2ban-ssh');
    expect(input.some((r) => r.includes('--dport 80 -j ACCEPT'))).toBe(false); // the host's own rules are gone
    const forward = rulesOf(after, 'filter', 'FORWARD');
    expect(forward).toEqual(rulesOf(before, 'filter', 'FORWARD'));
    expect(rulesOf(after, 'raw', 'PREROUTING')[0]).toContain('fleet:bans:jump');

    const d = diff(after, desired, { preserve });
    expect(renderDiff(d, { foreign: false })).toBe('');
    expect(d.foreign.map((f) => f.chain)).toEqual(['DOCKER', 'DOCKER', 'DOCKER-ISOLATION', 'fail2ban-ssh']);
  });

  it('kube-proxy: KUBE-* jumps at the top of INPUT and FORWARD survive, twice in a row', async () => {
    expect(
      (await ns.restore(readFileSync(`${DIR}/009-kube-proxy-kind-node-traefik.rules`, 'utf8'), { family: 4 }))
        .code,
    ).toBe(0);
    const before = await current();
    const preserve = ['KUBE-*', 'KIND-*', 'DOCKER_*'];
    const desired = desiredFor(preserve);
    await apply(desired, preserve);
    await apply(desired, preserve);
    const after = await current();
    expect(rulesOf(after, 'filter', 'INPUT').slice(0, 3)).toEqual(rulesOf(before, 'filter', 'INPUT'));
    expect(rulesOf(after, 'filter', 'KUBE-FIREWALL')).toEqual(rulesOf(before, 'filter', 'KUBE-FIREWALL'));
    expect(diff(after, desired, { preserve }).empty).toBe(true);
  });

  it('without preserve the Docker chains would go, and the diff says so', async () => {
    expect(
      (
        await ns.restore(readFileSync(`${DIR}/002-docker-isolation-fail2ban-ssh-2016.rules`, 'utf8'), {
          family: 4,
        })
      ).code,
    ).toBe(0);
    const d = diff(await current(), desiredFor([]));
    expect(d.foreign).toEqual([]);
    expect(renderDiff(d)).toContain('@@ filter DOCKER-ISOLATION @@ (chain deleted)');
  });

  it('a fleet chain the profile no longer has is deleted (noflush: -X)', async () => {
    const preserve = ['DOCKER*'];
    await apply(desiredFor(preserve), preserve);
    expect(findChain(findTable(await current(), 'filter'), 'FLEET-LOG')).toBeDefined();
    const noLog = desiredFor(preserve, { log: undefined });
    await apply(noLog, preserve);
    expect(findChain(findTable(await current(), 'filter'), 'FLEET-LOG')).toBeUndefined();
    expect(diff(await current(), noLog, { preserve }).empty).toBe(true);
  });
});
