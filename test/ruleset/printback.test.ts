/**
 * Property test of normalization against the kernel: generated profiles, each with 20-40 raw
 * rules drawn from every target and match the normalizer knows (MARK, CONNMARK, TOS, DSCP,
 * TCPMSS, CT, NOTRACK, REDIRECT, DNAT, SNAT, MASQUERADE, LOG, REJECT, NFLOG, NFQUEUE, hashlimit,
 * connlimit, set, limit, recent, conntrack, multiport, iprange, addrtype, mac, owner, tcp flags,
 * ICMP types, mark, tos, dscp, length, pkttype, time, statistic, protocols), written every way
 * iptables accepts. Each profile is compiled, loaded into a namespace with iptables-restore (nft)
 * and iptables-legacy-restore, both families, read back with iptables-save, parsed, and diffed
 * against the compiled form: the diff must be empty (or apply would never converge).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArg } from '../../src/profiles/raw.js';
import { type CompileOutput, compile, diff, parseSave, renderDiff } from '../../src/ruleset/index.js';
import { type Backend, Netns, netnsUnavailable } from '../support/netns.js';
import { base, HOST, MGMT } from './fixtures/profiles.js';
import { rawRules, TEST_SETS } from './raw-arbitraries.js';

const SAMPLES = fc.sample(rawRules, { numRuns: 12, seed: 1212 });
const compiled: CompileOutput[] = SAMPLES.map((raw, i) =>
  compile({
    profile: { ...base, name: `printback${i}`, raw },
    host: HOST,
    managementSources: MGMT,
    force: true,
  }),
);

describe('generated raw rules', () => {
  it('are what a profile may hold (every argument passes the loader) and cover every kind', () => {
    for (const r of SAMPLES.flat()) for (const a of r.args) expect(checkArg(a, r.family), a).toBeUndefined();
    const targets = new Set(SAMPLES.flat().map((r) => r.args[r.args.indexOf('-j') + 1]));
    for (const t of [
      'MARK',
      'CONNMARK',
      'TOS',
      'DSCP',
      'TCPMSS',
      'CT',
      'DNAT',
      'SNAT',
      'REDIRECT',
      'MASQUERADE',
    ])
      expect(targets, t).toContain(t);
  });
});

/** The lines iptables-restore names in its error, to say which generated rule it refused. */
function failedLines(text: string, stderr: string): string {
  const lines = text.split('\n');
  return [...stderr.matchAll(/line:? (\d+)/g)].map((m) => `\n  > ${lines[Number(m[1]) - 1]}`).join('');
}

const why = await netnsUnavailable();

describe.skipIf(why !== undefined)(`raw rules on real iptables${why ? ` (skipped: ${why})` : ''}`, () => {
  let ns: Netns;
  beforeAll(async () => {
    ns = await Netns.create();
    for (const [family, set] of Object.entries(TEST_SETS)) {
      const r = await ns.exec([
        'ipset',
        'create',
        set,
        'hash:net',
        'family',
        family === '4' ? 'inet' : 'inet6',
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await ns?.destroy();
  });

  for (const backend of ['nft', 'legacy'] as Backend[]) {
    it(`${backend}: load, save, parse, diff against compiled is empty for all ${SAMPLES.length} profiles`, async () => {
      const problems: string[] = [];
      for (const out of compiled) {
        await ns.reset(backend);
        for (const family of [4, 6] as const) {
          const r = await ns.restore(family === 4 ? out.v4 : out.v6, {
            family,
            backend,
            noflush: out.noflush,
          });
          if (r.code !== 0) {
            problems.push(
              `v${family} refused: ${r.stderr}${failedLines(family === 4 ? out.v4 : out.v6, r.stderr)}`,
            );
            continue;
          }
          const back = parseSave(await ns.save(family, backend), { family });
          const rs = family === 4 ? out.rulesets.v4 : out.rulesets.v6;
          const d = renderDiff(diff(back, rs, { preserve: out.preserve }));
          if (d) problems.push(`v${family}:\n${d}`);
        }
      }
      await ns.reset(backend);
      expect(problems).toEqual([]);
    }, 300_000);
  }
});
