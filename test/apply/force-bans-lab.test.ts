/**
 * A bans.yaml entry the ban guard refuses (here: the lab workstation's own address) stops every
 * command that compiles or pushes rules, `apply --force` included: exit 2 naming the entry's
 * line in bans.yaml, before any connection. Before, `apply --force` synced the ban sets before
 * any backup or watchdog and cut the host off for good.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetOnLab as fleet, tally } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { hostRules, repoWithProfiles } from './helpers.js';

const lab = useLab({ name: 'tforceban', count: 1, group: 'web-servers' });
let dir: string;

function banList(workstation: string): string {
  return `bans:
  - address: 198.51.100.77
    who: alice
    when: 2026-01-01T00:00:00.000Z
  - address: ${workstation}
    who: mallory
    when: 2026-01-01T00:00:00.000Z
`;
}

describe('a refused bans.yaml entry stops every path', () => {
  beforeAll(() => {
    dir = repoWithProfiles('forceban');
    mkdirSync(join(dir, 'inventory'), { recursive: true });
  });

  it.each([
    ['apply --force', ['apply', 'all', '--force', '--confirm-timeout', '5']],
    ['apply', ['apply', 'all', '--confirm-timeout', '5']],
    ['plan', ['plan', 'all']],
  ])(
    '%s exits 2 naming bans.yaml:line:col; the host is untouched and reachable',
    async (_, cmd) => {
      const file = join(dir, 'inventory', 'bans.yaml');
      writeFileSync(file, banList(lab().workstation.v4));
      const host = lab().hosts[0]!.name;
      const before = await hostRules(lab(), host);
      const run = await fleet(dir, lab(), ...cmd);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${file}:5:14 `);
      expect(run.stderr).toMatch(/refusing to ban .*: it covers this workstation/);
      expect(run.stderr).not.toMatch(/lockout guard|would not let SSH/);
      expect(run.report).toBeUndefined();
      expect(await hostRules(lab(), host)).toBe(before);
      const facts = await fleet(dir, lab(), 'facts', 'all');
      expect(tally(facts)).toEqual({ ok: 1 });
    },
    120_000,
  );

  it('without the refused entry, apply --force syncs the guarded ban and confirms', async () => {
    const guarded = banList(lab().workstation.v4).split('\n').slice(0, 4).join('\n');
    writeFileSync(join(dir, 'inventory', 'bans.yaml'), `${guarded}\n`);
    const run = await fleet(dir, lab(), 'apply', 'all', '--force', '--confirm-timeout', '5');
    expect(run.code).toBe(0);
    expect(tally(run)).toEqual({ changed: 1 });
    expect(await hostRules(lab(), lab().hosts[0]!.name)).toMatch(/198\.51\.100\.77|fleet-bans4/);
  }, 120_000);
});
