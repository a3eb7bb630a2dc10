/**
 * Compare-and-swap on real hosts: a wrapper in front of `iptables-restore` (first in the host's
 * PATH) acts as fail2ban would, inserting its INPUT jump when fleet tests its rules, i.e. after
 * fleet read the rules and before the swap. The jump survives: fleet sees the change, swaps
 * nothing, reads again and converges; against a writer that never stops it gives up after its
 * tries with the reason, the host keeping its rules and the writer's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { fleetOnLab as fleet } from '../support/cli.js';
import { useLab } from '../support/lab.js';
import { hostRules, listDir, repoWithProfiles } from './helpers.js';

// $MODE once: one jump, the first time; always: a new jump at every test of the rules.
const WRAPPER = `#!/bin/sh
case " $* " in *" --test "*)
  if [ "$MODE" = always ] || [ ! -e /run/cas-raced ]; then
    n=$(($(cat /run/cas-raced 2>/dev/null || echo 0) + 1)); echo "$n" > /run/cas-raced
    iptables -w -N f2b-sshd 2>/dev/null
    iptables -w -I INPUT -p tcp -m multiport --dports 22,$((2200 + n)) -j f2b-sshd
  fi ;;
esac
exec /usr/sbin/iptables-restore "$@"
`;

const lab = useLab({ name: 'tcas', count: 2, group: 'web-servers' });
let dir: string;

async function installWrapper(host: string, mode: 'once' | 'always'): Promise<void> {
  const body = WRAPPER.replace('#!/bin/sh\n', `#!/bin/sh\nMODE=${mode}\n`);
  const put = 'cat > /usr/local/sbin/iptables-restore && chmod 755 /usr/local/sbin/iptables-restore';
  const r = await labHostExec(lab(), host, ['sh', '-c', put], { input: body });
  expect(r.ok, r.stderr).toBe(true);
}

const f2bJumps = (rules: string) => rules.split('\n').filter((l) => /^-A INPUT .*-j f2b-sshd$/.test(l));

describe('compare-and-swap against a writer between the read and the swap', () => {
  beforeAll(() => {
    dir = repoWithProfiles('cas');
  });

  it('a jump inserted between the read and the swap survives; the apply converges', async () => {
    const host = lab().hosts[0]!.name;
    await installWrapper(host, 'once');
    const run = await fleet(dir, lab(), 'apply', host, '--confirm-timeout', '15');
    const result = run.report?.hosts[0];
    expect(result?.status, run.stderr).toBe('changed');
    expect(result?.data?.raced).toEqual(['v4 filter/INPUT changed']);
    const rules = await hostRules(lab(), host);
    expect(f2bJumps(rules)).toHaveLength(1);
    expect(rules).toMatch(/^-A INPUT .*-j FLEET-INPUT$/m);
    // One backup (v4, v6, its outcome record): the try that did not swap left none behind,
    // nor an armed watchdog.
    const files = await listDir(lab(), host, '/var/backups/fleet');
    expect(files.map((f) => f.replace(/^.*\./, '')).sort()).toEqual(['outcome', 'v4', 'v6']);
    expect(await listDir(lab(), host, '/var/lib/fleet/armed')).toEqual([]);
    const again = await fleet(dir, lab(), 'apply', host);
    expect(again.report?.hosts[0]?.status, again.stderr).toBe('unchanged');
  });

  it('a writer that never stops: the host fails with the reason after 3 tries, nothing lost', async () => {
    const host = lab().hosts[1]!.name;
    await installWrapper(host, 'always');
    const run = await fleet(dir, lab(), 'apply', host, '--confirm-timeout', '15');
    const result = run.report?.hosts[0];
    expect(run.code).toBe(1);
    expect(result?.status).toBe('failed');
    expect(result?.detail).toMatch(
      /another writer kept changing .*filter\/INPUT.*after 3 tries nothing was swapped/,
    );
    const rules = await hostRules(lab(), host);
    expect(rules).not.toContain('FLEET-INPUT');
    expect(f2bJumps(rules).length).toBeGreaterThanOrEqual(3);
    expect(await listDir(lab(), host, '/var/backups/fleet')).toEqual([]);
    expect(await listDir(lab(), host, '/var/lib/fleet/armed')).toEqual([]);
  });
});
