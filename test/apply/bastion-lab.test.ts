/**
 * Hosts behind a bastion see fleet's SSH come from the bastion's inner address, not from the
 * workstation. The lab's inventory says so (the bastion's vars.inner_addresses); the lockout
 * guard simulates from there, the `management` set includes it for those hosts, and fleet's own
 * connections skip the `recent` SSH rate limit (base: 4 new connections a minute).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { fleetCli, statuses } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { repoWithProfiles } from './helpers.js';

const lab = useLab({ name: 'tbastion', count: 1, hidden: 2 });
let dir: string;
let inventory: string;

/** The lab's inventory, with the hidden hosts given `profile`. */
function inventoryWithHiddenProfile(from: string, to: string, profile: string): void {
  const doc = parse(readFileSync(from, 'utf8')) as { groups: Record<string, Record<string, unknown>> };
  doc.groups.hidden = { ...doc.groups.hidden, profile };
  writeFileSync(to, stringify(doc));
}

describe('hosts behind a bastion', () => {
  beforeAll(() => {
    dir = repoWithProfiles('bastion');
    inventory = join(dir, 'lab-inventory.yaml');
    inventoryWithHiddenProfile(lab().inventoryPath, inventory, 'web-servers');
  });

  /** The bastion's address on the hidden segment (.225 of the lab's /24, src/lab/addressing.ts). */
  const innerAddress = () => lab().subnet.replace(/\.0\/24$/, '.225');
  const hidden = () =>
    lab()
      .hosts.filter((h) => h.hidden)
      .map((h) => h.name);
  const fleet = (...args: string[]) => fleetCli(dir, ...args, '-i', inventory);

  it('compile: the management path is the bastion inner address, exempt from the rate limit', async () => {
    const inner = innerAddress();
    expect(lab().hosts[0]!.inner?.address).toBe(inner);
    const run = await fleet('compile', hidden()[0]!);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const exempt = lines.findIndex((l) => l.includes(`-s ${inner}/32`) && l.includes('ssh.management'));
    const limit = lines.findIndex((l) => l.includes('--update') && l.includes('recent'));
    expect(exempt).toBeGreaterThan(-1);
    expect(exempt).toBeLessThan(limit);
  });

  it('apply to the hidden hosts is confirmed over a new connection through the bastion', async () => {
    const run = await fleet('apply', 'hidden', '--canary', '0', '--confirm-timeout', '8');
    expect(statuses(run)).toEqual(Object.fromEntries(hidden().map((h) => [h, 'changed'])));
    expect(run.code).toBe(0);
  }, 180_000);

  it("apply then four audits within a minute all reach them: fleet's own connections are not rate-limited", async () => {
    // As an operator would have done before: the inner address written into ssh.sources by hand
    // (so the rules let it in), with the shipped rate limit of 4 new connections a minute.
    const inner = innerAddress();
    writeFileSync(
      join(dir, 'profiles', 'hidden-web.yaml'),
      `extends: web-servers\nssh:\n  sources: [ssh-clients, ${inner}/32]\n`,
    );
    const explicit = join(dir, 'lab-inventory-explicit.yaml');
    inventoryWithHiddenProfile(lab().inventoryPath, explicit, 'hidden-web');
    const onHidden = (...args: string[]) => fleetCli(dir, ...args, '-i', explicit);
    const applied = await onHidden('apply', 'hidden', '--canary', '0', '--confirm-timeout', '8');
    expect(Object.values(statuses(applied))).toEqual(['changed', 'changed']);
    for (let i = 0; i < 4; i++) {
      const run = await onHidden('audit', 'hidden');
      const s = statuses(run);
      expect(Object.keys(s).sort()).toEqual(hidden().sort());
      for (const st of Object.values(s)) expect(st).not.toBe('unreachable');
    }
  }, 180_000);
});
