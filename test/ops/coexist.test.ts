/**
 * What a host shares, and what fleet refuses there (pure): the tools found, the rules kept, a
 * known owner's chains deleted without takeover, an active ufw; takeover, --force and a backup
 * (exact) go ahead.
 */
import { describe, expect, it } from 'vitest';
import { checkCoexistence, coexistText } from '../../src/ops/coexist-check.js';
import { planHost } from '../../src/ops/host-plan.js';
import { compile } from '../../src/ruleset/index.js';
import { base, HOST, MGMT } from '../ruleset/fixtures/profiles.js';

const LIVE = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
:ts-postrouting - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -j ts-postrouting
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A ts-postrouting -m mark --mark 0x40000/0xff0000 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:cali-INPUT - [0:0]
:cali-FORWARD - [0:0]
:ts-input - [0:0]
-A INPUT -m comment --comment "cali:Cz_u1IQiXIMmKD4c" -j cali-INPUT
-A INPUT -j ts-input
-A INPUT -p tcp -m tcp --dport 8443 -j ACCEPT
-A FORWARD -m comment --comment "cali:wUHhoiAYhphO9Mso" -j cali-FORWARD
-A cali-INPUT -j ACCEPT
-A cali-FORWARD -j ACCEPT
-A ts-input -i tailscale0 -j ACCEPT
COMMIT
`;

function planFor(extra: Partial<typeof base>, active: string[] = [], force = false) {
  const compiled = compile({ profile: { ...base, ...extra }, host: HOST, managementSources: MGMT, force });
  return planHost({ v4: LIVE, v6: null }, compiled, false, active);
}

describe('coexistence on a host', () => {
  it('names the tools found and counts the rules that stay', () => {
    const c = planFor({ preserve: ['known-owners'] }).coexistence;
    expect(c.tools).toEqual(['calico', 'docker', 'tailscale']);
    // nat untouched (6 rules), filter: 2 jumps + 2 calico + 1 tailscale rules; the hand-made 8443 goes.
    expect(c.kept).toBe(11);
    expect(c.refused).toBeUndefined();
    expect(coexistText(c)).toBe('calico, docker, tailscale: 11 rules kept');
  });

  it('refuses to delete a known owner’s chains unless taken over, saying what breaks', () => {
    const c = planFor({ preserve: ['cali-*'] }).coexistence;
    expect(c.refused).toContain("the profile would delete tailscale's 1 chain (filter/ts-input)");
    expect(c.refused).toContain('the tailnet loses its inbound and forwarded traffic');
    expect(c.refused).toContain('`takeover: [tailscale]` in profile base');
    expect(c.refused).not.toContain('calico');
    const taken = planFor({ preserve: ['cali-*'], takeover: ['tailscale'] });
    expect(taken.coexistence.refused).toBeUndefined();
    expect(taken.coexistence.takenOver).toEqual(['tailscale']);
    expect(taken.diffText).toContain('@@ filter ts-input @@ (chain deleted)');
    expect(planFor({ preserve: [] }, [], true).coexistence.refused).toBeUndefined();
  });

  it('refuses a host where ufw or firewalld is active, unless taken over', () => {
    const c = planFor({ preserve: ['known-owners'] }, ['ufw']).coexistence;
    expect(c.refused).toMatch(/^ufw is active on this host: it rebuilds its chains/);
    expect(
      planFor({ preserve: ['known-owners'], takeover: ['ufw'] }, ['ufw']).coexistence.refused,
    ).toBeUndefined();
  });

  it('puts a backup back without refusing', () => {
    const checked = checkCoexistence(
      { tools: ['docker'], kept: 0, deleted: [{ tool: 'docker', table: 'filter', chain: 'DOCKER' }] },
      { profile: 'x', takeover: [], active: ['ufw'], force: false, exact: true },
    );
    expect(checked.refused).toBeUndefined();
  });
});
