import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { fleetOnLab as fleet, tally } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { repoWithProfiles } from './helpers.js';

// The shipped profiles on real lab hosts (bastion, web-servers, db-servers: the lab's default
// layout), and every golden file accepted by the iptables-restore of a lab host.
const lab = useLab({ name: 'troundtrip', count: 4 });
let dir: string;

describe('shipped profiles round trip through lab hosts', () => {
  beforeAll(() => {
    dir = repoWithProfiles('roundtrip');
  });

  it('every golden file passes iptables-restore --test / ip6tables-restore --test on a lab host', async () => {
    const host = lab().hosts[0]!.name;
    const files = readdirSync('test/golden').filter((f) => /\.v[46]$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const tool = f.endsWith('.v6') ? 'ip6tables-restore' : 'iptables-restore';
      const text = readFileSync(`test/golden/${f}`, 'utf8');
      // Profiles that preserve foreign chains compile for --noflush (they flush chains themselves).
      const noflush = /^-F /m.test(text) ? ['--noflush'] : [];
      const r = await labHostExec(lab(), host, [tool, '--test', ...noflush], { input: text });
      expect(r.ok, `${f}: ${r.stderr}`).toBe(true);
    }
  });

  it('compile → apply → iptables-save → parse → diff is empty for every profile in use', async () => {
    const applied = await fleet(dir, lab(), 'apply', 'all', '--canary', '0');
    expect(tally(applied), applied.stderr).toEqual({ changed: 4 });
    expect(new Set(lab().hosts.map((h) => h.groups.join())).size).toBe(3);
    const plan = await fleet(dir, lab(), 'plan', 'all');
    expect(tally(plan)).toEqual({ unchanged: 4 });
  });
});
