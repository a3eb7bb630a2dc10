/**
 * Property test: many generated profiles (random policies, SSH sources and rate limits,
 * services and ranges, ICMP, log prefixes with quotes and backslashes, preserve, raw rules) all
 * compile deterministically, and every one is accepted by the real iptables-restore /
 * ip6tables-restore --test and round trips (load → save → parse → diff empty), in one namespace.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile, RawRule, ServiceRule, Source } from '../../src/model/profile.js';
import { type CompileOutput, compile, diff, parseSave, renderDiff } from '../../src/ruleset/index.js';
import { Netns, netnsUnavailable } from '../support/netns.js';
import { HOST, MGMT } from './fixtures/profiles.js';

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/);
const v4 = fc
  .tuple(
    fc.integer({ min: 1, max: 223 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 8, max: 32 }),
  )
  .map(([a, b, c, d, p]): Source => ({ cidr: `${a}.${b}.${c}.${d}/${p}`, family: 4 }));
const v6 = fc
  .tuple(
    fc.integer({ min: 0x2001, max: 0x2fff }),
    fc.integer({ min: 0, max: 0xffff }),
    fc.integer({ min: 16, max: 128 }),
  )
  .map(([a, b, p]): Source => ({ cidr: `${a.toString(16)}:db8:${b.toString(16)}::1/${p}`, family: 6 }));
const sources = fc.array(fc.oneof(v4, v6), { maxLength: 4 });
const port = fc.integer({ min: 1, max: 65535 });
const range = fc.tuple(port, port).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));
const service = fc.record<ServiceRule>({ name, proto: fc.constantFrom('tcp', 'udp'), ports: range, sources });
const rate = fc
  .tuple(fc.integer({ min: 1, max: 10000 }), fc.constantFrom('second', 'minute', 'hour', 'day', 's', 'min'))
  .map(([n, u]) => `${n}/${u}`);
const prefix = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', ':', '"', '\\', "'", '-', '#', '!'),
  minLength: 1,
  maxLength: 29,
});
const raw = fc.constantFrom<RawRule[]>(
  [],
  [{ table: 'filter', chain: 'INPUT', args: ['-p', 'tcp', '--dport', '25', '-j', 'REJECT'], family: 'both' }],
  [{ table: 'nat', chain: 'POSTROUTING', args: ['-o', 'eth0', '-j', 'MASQUERADE'], family: 4 }],
  [
    {
      table: 'mangle',
      chain: 'PREROUTING',
      args: ['-p', 'udp', '-m', 'multiport', '--dports', '53,123', '-j', 'ACCEPT'],
      family: 6,
    },
  ],
);
const policy = fc.constantFrom<'ACCEPT' | 'DROP'>('ACCEPT', 'DROP');

const profile: fc.Arbitrary<Profile> = fc.record({
  name,
  lineage: fc.constant(['base']),
  file: fc.constant('profiles/generated.yaml'),
  policies: fc.record({ input: policy, forward: policy, output: policy }),
  ssh: fc.record({
    port: fc.constant(22),
    sources: sources.map((s) => (s.length === 0 ? s : [...s, ...MGMT])),
    rateLimit: fc.option(
      fc.record({ hits: fc.integer({ min: 1, max: 19 }), seconds: fc.integer({ min: 1, max: 86400 }) }),
      { nil: undefined },
    ),
  }),
  services: fc.array(service, { maxLength: 5 }),
  icmp: fc.record({ ping: fc.boolean(), rate: fc.option(rate, { nil: undefined }) }),
  log: fc.option(
    fc.record({
      prefix,
      limit: rate,
      burst: fc.option(fc.integer({ min: 1, max: 10000 }), { nil: undefined }),
    }),
    { nil: undefined },
  ),
  preserve: fc.constantFrom([], ['DOCKER*'], ['f2b-*', 'KUBE-*']),
  raw,
});

const SAMPLES = fc.sample(profile, { numRuns: 100, seed: 4242 });
const compileIt = (p: Profile) => compile({ profile: p, host: HOST, managementSources: MGMT });

describe('generated profiles', () => {
  it('compile deterministically and pass the lockout guard when management may SSH in', () => {
    fc.assert(
      fc.property(profile, (p) => {
        const a = compileIt(p);
        expect(compileIt(structuredClone(p)).v4).toBe(a.v4);
      }),
      { numRuns: 200 },
    );
  });
});

const why = await netnsUnavailable();

describe.skipIf(why !== undefined)('generated profiles on real iptables', () => {
  let ns: Netns;
  const outputs: CompileOutput[] = SAMPLES.map(compileIt);
  beforeAll(async () => {
    ns = await Netns.create();
  });
  afterAll(async () => {
    await ns?.destroy();
  });

  it(`all ${SAMPLES.length} are accepted by iptables-restore --test and ip6tables-restore --test`, async () => {
    const refused: string[] = [];
    for (const out of outputs) {
      for (const [family, text] of [
        [4, out.v4],
        [6, out.v6],
      ] as const) {
        const r = await ns.restore(text, { family, test: true, noflush: out.noflush });
        if (r.code !== 0) refused.push(`${r.stderr}\n${text}`);
      }
    }
    expect(refused.slice(0, 1)).toEqual([]);
  }, 120_000);

  it('all round trip: load, save, parse, diff against compiled is empty', async () => {
    for (const out of outputs) {
      await ns.reset();
      for (const family of [4, 6] as const) {
        const r = await ns.restore(family === 4 ? out.v4 : out.v6, { family, noflush: out.noflush });
        expect(r.code, r.stderr).toBe(0);
        const back = parseSave(await ns.save(family), { family });
        const d = diff(back, family === 4 ? out.rulesets.v4 : out.rulesets.v6, { preserve: out.preserve });
        expect(renderDiff(d)).toBe('');
      }
    }
  }, 300_000);
});
