/**
 * A mixed host on a real lab host: fleet's rules in iptables-nft, then one rule in
 * ip6tables-legacy (a backend and a family no command looked at before). facts and ban flag it,
 * plan and apply refuse it, audit finds `iptables-backend` — all with the one message
 * (src/ops/backends.ts). Emptying the legacy backend, as the message says, clears it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { hostRules, repoWithProfiles } from '../apply/helpers.js';
import { labAddress } from '../bans/helpers.js';
import { fleetOnLab as fleet } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ name: 'tmixed', count: 1, group: 'web-servers' });
let dir: string;
let host: string;

const MESSAGE =
  /both iptables backends hold rules \(legacy: 1 IPv6, nft: \d+ IPv4 and \d+ IPv6 rules and non-default policies\): the kernel runs both, and fleet reads and writes only nft .*empty legacy/;

/** The message as each command words it: after its own prefix, the same text. */
const messageOf = (text: string | undefined) => /both iptables backends.*/.exec(text ?? '')?.[0];

describe('a host whose legacy and nft backends both hold rules', () => {
  beforeAll(async () => {
    dir = repoWithProfiles('mixed');
    host = lab().hosts[0]!.name;
    const applied = await fleet(dir, lab(), 'apply', host);
    expect(applied.report?.hosts[0]?.status, applied.stderr).toBe('changed');
    const legacy = ['ip6tables-legacy', '-A', 'INPUT', '-p', 'tcp', '--dport', '9', '-j', 'DROP'];
    expect((await labHostExec(lab(), host, legacy)).ok).toBe(true);
  }, 120_000);

  it('facts and ban flag it, plan and apply refuse it, audit finds it: one message', async () => {
    // The ban goes first: it changes the rule counts the message quotes.
    const banned = [labAddress(lab(), 203, 4), labAddress(lab(), 203, 6)];
    const ban = (await fleet(dir, lab(), 'ban', ...banned)).report?.hosts[0];
    expect(ban?.status).toBe('changed');
    expect(ban?.detail).toMatch(MESSAGE);

    const facts = (await fleet(dir, lab(), 'facts', host)).report?.hosts[0];
    expect(facts?.status).toBe('ok');
    expect(facts?.detail).toMatch(MESSAGE);
    const message = messageOf(facts?.detail);

    const plan = (await fleet(dir, lab(), 'plan', host)).report?.hosts[0];
    expect(plan?.status).toBe('failed');
    expect(plan?.detail).toMatch(/^apply would refuse this host: both/);
    expect(messageOf(plan?.detail)).toBe(message);

    const before = await hostRules(lab(), host);
    const apply = (await fleet(dir, lab(), 'apply', host)).report?.hosts[0];
    expect(apply?.status).toBe('failed');
    expect(messageOf(apply?.detail)).toBe(message);
    expect(await hostRules(lab(), host)).toBe(before);

    const audit = (await fleet(dir, lab(), 'audit', host)).report?.hosts[0];
    const found = audit?.findings?.find((f) => f.check === 'iptables-backend');
    expect(found?.severity).toBe('warning');
    expect(found?.message).toBe(message);
  });

  it('emptying the legacy backend, as the message says, clears it everywhere', async () => {
    expect((await labHostExec(lab(), host, ['ip6tables-legacy', '-F', 'INPUT'])).ok).toBe(true);
    const audit = (await fleet(dir, lab(), 'audit', host)).report?.hosts[0];
    expect(audit?.findings?.map((f) => f.check)).not.toContain('iptables-backend');
    const plan = (await fleet(dir, lab(), 'plan', host)).report?.hosts[0];
    expect(plan?.status, plan?.diff).toBe('unchanged');
  });
});
