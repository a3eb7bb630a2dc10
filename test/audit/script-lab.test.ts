/**
 * The audit script reads on a real lab host what the tools it no longer starts would have read:
 * the boot rules files as `cat` prints them, the global IPv6 addresses as `ip -6 addr` lists
 * them, the ban sets, and `apt-get -s upgrade` with the architectures apt would have asked dpkg
 * for (src/ops/audit/script.ts; its processes: bench/README.md "Processes per host"). And the
 * facts' upkeep read (apply): the boot files as `cat` prints them, the backup's age from its
 * name's time (\`stat\` only for a name without one).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { labHostExec } from '../../src/lab/index.js';
import { parseAuditOutput } from '../../src/ops/audit/parse.js';
import { AUDIT_SCRIPT, DPKG_ARCHS_FN } from '../../src/ops/audit/script.js';
import { FACTS_SCRIPT, parseFacts } from '../../src/ops/facts.js';
import { buildCommand } from '../../src/remote/quote.js';
import { labSsh, useLab } from '../support/lab.js';

const lab = useLab({ name: 'tauscript', count: 1 });
let host: { name: string; address: string };

async function sh(script: string): Promise<string> {
  const r = await labHostExec(lab(), host.name, ['sh', '-c', script]);
  expect(r.ok, r.stderr).toBe(true);
  return r.stdout;
}

/** Over SSH, as fleet sends it. */
async function remote(script: string, args: string[] = []): Promise<string> {
  const r = await labSsh(lab(), host.address, buildCommand({ script, args }));
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const audit = async () => parseAuditOutput(await remote(AUDIT_SCRIPT, ['save']));

/** The updates section as the old script printed it: apt-get asking dpkg itself. */
async function aptAsBefore() {
  const out = await remote('LC_ALL=C apt-get -s -q -o Debug::NoLocking=1 upgrade 2>&1');
  return parseAuditOutput(`@@fleet:updates\napt\n${out}\n@@fleet:reboot\nno\n@@fleet:end\n`).updates;
}

describe('the audit script on a lab host', () => {
  beforeAll(async () => {
    host = lab().hosts[0]!;
    await sh(
      [
        'mkdir -p /etc/iptables',
        'printf "*filter\\n:INPUT ACCEPT [0:0]\\nCOMMIT" > /etc/iptables/rules.v4', // no last newline
        'rm -f /etc/iptables/rules.v6',
        'ipset create fleet-bans6 hash:net family inet6 -exist',
        'ipset add fleet-bans6 2001:db8:9::/48 -exist',
        'ip -6 addr add 2001:db8:0:0:1::1/48 dev eth0 nodad',
        'ip -6 addr add fec0::5/64 dev eth0 nodad', // scope site: not global
        'apt-get update -q >/dev/null 2>&1', // the lab's local repository: the canary's 1.1
      ].join(' && '),
    );
  }, 120_000);

  it('the clock, boot files as cat prints them, global IPv6 addresses as ip lists them, the ban sets, apt as before', async () => {
    const got = await audit();
    expect(Math.abs(got.now - Number(await sh('date +%s')))).toBeLessThan(60); // the host's clock, no date
    expect(got.persisted).toEqual({ v4: await sh('cat /etc/iptables/rules.v4'), v6: null });
    const ip = await sh('ip -6 -o addr show scope global');
    const listed = ip
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[3]);
    expect(listed).toContain('2001:db8::1:0:0:1/48');
    expect([...got.ipv6Addresses].sort()).toEqual(listed.sort());
    expect(got.banSets).toEqual({ v4: null, v6: ['2001:db8:9::/48'] });
    expect(got.updates.pending).toContain('fleet-lab-canary');
    expect(got.updates).toEqual(await aptAsBefore());
  });

  it('apt gets the architectures it would ask dpkg for: native only, then with foreign ones', async () => {
    const dump = 'apt-config dump APT::Architectures';
    for (const step of [
      'rm -f /var/lib/dpkg/arch',
      'dpkg --add-architecture i386',
      'dpkg --add-architecture arm64',
      'dpkg --remove-architecture i386 && dpkg --remove-architecture arm64',
    ]) {
      await sh(step);
      const asked = await remote(dump);
      expect(asked).toMatch(/APT::Architectures:: "\w+";/);
      expect(await remote(`${DPKG_ARCHS_FN}\ndpkg_archs ${dump}`), step).toBe(asked);
    }
  });

  it('without ipset both sets are absent; without the boot files both are missing', async () => {
    await sh(
      'mv /usr/sbin/ipset /usr/sbin/ipset.off && mv /etc/iptables/rules.v4 /etc/iptables/rules.v4.off',
    );
    try {
      const got = await audit();
      expect(got.banSets).toEqual({ v4: null, v6: null });
      expect(got.persisted).toEqual({ v4: null, v6: null });
    } finally {
      await sh(
        'mv /usr/sbin/ipset.off /usr/sbin/ipset && mv /etc/iptables/rules.v4.off /etc/iptables/rules.v4',
      );
    }
  });

  it("the facts' upkeep read and audit: a backup's time from its name, else from stat; ages on the host's clock", async () => {
    const dir = '/var/backups/fleet';
    // Each file's mtime is not its name's time: which one was read shows.
    const named = '20260920T120000.123Z-new.v4'; // 1789905600 by its name
    await sh(
      `mkdir -p ${dir} && touch -d @1700000000 ${dir}/20231114T221320Z-old.v4 && touch -d @1600000000 ${dir}/${named}`,
    );
    try {
      const up = parseFacts(await remote(FACTS_SCRIPT, ['upkeep'])).upkeep!;
      expect(up.boot).toEqual({ v4: await sh('cat /etc/iptables/rules.v4'), v6: null });
      const now = Number(await sh('date +%s'));
      expect(Math.abs(up.backupAgeS! - (now - 1789905600))).toBeLessThan(60); // the newest by name
      expect((await audit()).backups).toEqual({
        newest: 1789905600,
        count: 2,
        newestPath: `${dir}/${named}`,
      });
      // A name without a time (someone's copy): stat's time, and it sorts last, so it is the newest.
      await sh(`touch -d @1790000000 ${dir}/zz-copy.v4`);
      const copy = parseFacts(await remote(FACTS_SCRIPT, ['upkeep'])).upkeep!;
      expect(Math.abs(copy.backupAgeS! - (now - 1790000000))).toBeLessThan(60);
      expect((await audit()).backups).toEqual({
        newest: 1790000000,
        count: 3,
        newestPath: `${dir}/zz-copy.v4`,
      });
    } finally {
      await sh(`rm -f ${dir}/20231114T221320Z-old.v4 ${dir}/${named} ${dir}/zz-copy.v4`);
    }
    const none = parseFacts(await remote(FACTS_SCRIPT, ['upkeep'])).upkeep!;
    expect(none.backupAgeS).toBeNull();
  });
});
