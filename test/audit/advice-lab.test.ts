/**
 * Every audit finding that advises a command, on real lab hosts: provoke it, run exactly the
 * command its message advises (the backquoted `fleet ...`), audit again: the finding is gone.
 * (iptables-backend, whose advice is to empty a backend by hand: mixed-backend-lab.test.ts.
 * reboot-required: a lab host cannot reboot, see test/update/reboot-lab.test.ts.) And the case
 * of the issue: a foreign tool changing its own chains after an apply is no `rules-persisted`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import type { Finding } from '../../src/model/finding.js';
import { repoWithProfiles } from '../apply/helpers.js';
import { labAddress } from '../bans/helpers.js';
import { fleetOnLab as fleet } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ name: 'tadvice', count: 2, group: 'web-servers' });
let dir: string;

async function audit(host: string): Promise<Finding[]> {
  const run = await fleet(dir, lab(), 'audit', host);
  expect(run.report?.hosts[0]?.status, run.stderr).toBe('ok');
  return run.report?.hosts[0]?.findings ?? [];
}

async function sh(host: string, script: string): Promise<void> {
  const r = await labHostExec(lab(), host, ['sh', '-c', script]);
  expect(r.ok, r.stderr).toBe(true);
}

/** The `fleet ...` a message advises, as argv. */
function advised(f: Finding): string[] {
  const m = /`fleet ([^`]+)`/.exec(f.message);
  expect(m, `${f.check} advises no fleet command: ${f.message}`).not.toBeNull();
  return m![1]!.split(' ');
}

/** Provoke, see `check` found, run its advice, see it gone (and the advice ran cleanly). */
async function clears(host: string, check: string, provoke: () => Promise<void>): Promise<Finding> {
  await provoke();
  const found = (await audit(host)).find((f) => f.check === check);
  expect(found, `${check} not found after provoking it`).toBeDefined();
  const run = await fleet(dir, lab(), ...advised(found!));
  expect(run.code, `${advised(found!).join(' ')}: ${run.stderr}`).toBe(0);
  expect((await audit(host)).map((f) => f.check)).not.toContain(check);
  return found!;
}

describe('the command each audit finding advises clears it', () => {
  let a = '';
  let b = '';
  beforeAll(async () => {
    dir = repoWithProfiles('advice');
    [a, b] = lab().hosts.map((h) => h.name) as [string, string];
    const run = await fleet(dir, lab(), 'apply', 'all');
    expect(run.code, run.stderr).toBe(0);
  }, 180_000);

  it('a freshly applied host audits clean', async () => {
    const serious = (await audit(a)).filter((f) => f.severity !== 'info');
    expect(serious).toEqual([]);
  });

  it('policy-input-drop, accept-all, drift: fleet apply', async () => {
    const policy = await clears(a, 'policy-input-drop', () => sh(a, 'iptables -P INPUT ACCEPT'));
    expect(policy.message).toContain(`\`fleet apply ${a}\` puts the profile's rules back`);
    await clears(a, 'accept-all', () => sh(a, 'iptables -I INPUT -j ACCEPT'));
    await clears(a, 'drift', () => sh(a, 'iptables -I INPUT -s 192.0.2.99 -p tcp --dport 8080 -j ACCEPT'));
  });

  it('ipv6-covered, ssh-sources, ssh-rate-limit, log-drops: fleet apply', async () => {
    await clears(a, 'ipv6-covered', () => sh(a, 'ip6tables -I INPUT -p tcp --dport 64999 -j ACCEPT'));
    await clears(a, 'ssh-sources', () => sh(a, 'iptables -I INPUT -p tcp --dport 22 -j ACCEPT'));
    await clears(a, 'ssh-rate-limit', () => sh(a, 'iptables -I INPUT -p tcp --dport 22 -j ACCEPT'));
    await clears(a, 'log-drops', () => sh(a, 'iptables -F FLEET-LOG && iptables -A FLEET-LOG -j DROP'));
  });

  it('rules-persisted: fleet apply persists although no rule changes', async () => {
    const boot = '/etc/iptables/rules.v4';
    await clears(a, 'rules-persisted', () => sh(a, `sed -i '/dport 80 /d' ${boot}`));
    await clears(a, 'rules-persisted', () => sh(a, `rm ${boot}`));
    const again = await fleet(dir, lab(), 'apply', a);
    expect(again.report?.hosts[0]?.status).toBe('unchanged');
  });

  it("a foreign tool's own chains changing after an apply is no rules-persisted", async () => {
    await sh(
      a,
      'iptables -N f2b-sshd && iptables -A f2b-sshd -s 198.51.100.8 -j REJECT && iptables -I INPUT -p tcp --dport 22 -j f2b-sshd',
    );
    expect((await audit(a)).map((f) => f.check)).not.toContain('rules-persisted');
    const run = await fleet(dir, lab(), 'apply', a);
    expect(run.report?.hosts[0]?.status).toBe('unchanged');
  });

  it('backup-recent: fleet apply takes a backup when none is recent, rollback skips it', async () => {
    const none = await clears(a, 'backup-recent', () => sh(a, 'rm -f /var/backups/fleet/*'));
    expect(none.message).toContain('no fleet backup');
    // A backup's time is its name's (the one fleet wrote it under): renamed 40 days back.
    const back40 = `t=$(date -u -d '40 days ago' +%Y%m%dT%H%M%S.000Z) && cd /var/backups/fleet && for f in *; do mv "$f" "$t-\${f#*Z-}"; done`;
    const old = await clears(a, 'backup-recent', () => sh(a, back40));
    expect(old.message).toContain('40 days old');
    const list = await fleet(dir, lab(), 'backups', a);
    const outcomes = (list.report!.hosts[0]!.data!.backups as { outcome: string }[]).map((x) => x.outcome);
    expect(outcomes).toEqual(['snapshot', 'snapshot']);
    const rollback = await fleet(dir, lab(), 'rollback', a);
    expect(rollback.report?.hosts[0]?.status).toBe('failed');
  });

  it('bans-missing: fleet bans sync', async () => {
    const addr = labAddress(lab(), 211, 4);
    expect((await fleet(dir, lab(), 'ban', addr)).code).toBe(0);
    await clears(b, 'bans-missing', () => sh(b, `ipset del fleet-bans4 ${addr}`));
  });

  it('updates-pending: fleet update', async () => {
    // The lab's one apt source is a local repository holding the canary 1.1 (1.0 installed).
    await clears(b, 'updates-pending', () => sh(b, 'apt-get update -qq'));
  });
});
