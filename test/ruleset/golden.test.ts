/**
 * Golden files: every shipped profile (profiles/*.yaml) and every fixture profile compiles to
 * exactly test/golden/<profile>.v4 / .v6 (regenerate with UPDATE_GOLDEN=1). Then, in a real
 * network namespace: each golden file passes `iptables-restore --test`, and loading it, reading
 * it back with iptables-save, parsing and diffing against the compiled model shows no difference.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src/model/profile.js';
import { loadProfiles } from '../../src/profiles/index.js';
import { type CompileOutput, compile, diff, parseSave, renderDiff } from '../../src/ruleset/index.js';
import { Netns, netnsUnavailable } from '../support/netns.js';
import { ALL_FIXTURES, HOST, MGMT } from './fixtures/profiles.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const GOLDEN = path.join(ROOT, 'test/golden');
const SHIPPED = ['base', 'web-servers', 'db-servers', 'bastion'];

function cases(): Array<[string, Profile]> {
  const shipped = loadProfiles(ROOT, { managementSources: MGMT });
  const out: Array<[string, Profile]> = SHIPPED.map((n) => [n, shipped.get(n)!]);
  for (const [n, p] of Object.entries(ALL_FIXTURES)) out.push([`fixture-${n}`, p]);
  return out;
}

const CASES = cases();
const compiled = new Map<string, CompileOutput>(
  CASES.map(([name, profile]) => [name, compile({ profile, host: HOST, managementSources: MGMT })]),
);

function golden(file: string, actual: string): string {
  const p = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(p)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(p, actual);
  }
  return readFileSync(p, 'utf8');
}

describe('golden files', () => {
  it('covers every shipped profile', () => {
    for (const n of SHIPPED) expect(CASES.find(([c]) => c === n)?.[1], n).toBeDefined();
  });
  for (const [name] of CASES) {
    it(`${name} compiles to test/golden/${name}.v4 and .v6, byte for byte`, () => {
      const out = compiled.get(name)!;
      expect(out.v4).toBe(golden(`${name}.v4`, out.v4));
      expect(out.v6).toBe(golden(`${name}.v6`, out.v6));
    });
  }
});

const why = await netnsUnavailable();

describe.skipIf(why !== undefined)(
  `golden files in a real namespace${why ? ` (skipped: ${why})` : ''}`,
  () => {
    let ns: Netns;
    beforeAll(async () => {
      ns = await Netns.create();
    });
    afterAll(async () => {
      await ns?.destroy();
    });

    it('the round trip can fail: web-servers loaded is not db-servers', async () => {
      await ns.reset();
      const web = compiled.get('web-servers')!;
      expect((await ns.restore(web.v4, { family: 4, noflush: true })).code).toBe(0);
      const back = parseSave(await ns.save(4), { family: 4 });
      const d = diff(back, compiled.get('db-servers')!.rulesets.v4, { preserve: web.preserve });
      expect(d.empty).toBe(false);
      expect(renderDiff(d)).toContain('+-A FLEET-INPUT -s 192.0.2.0/26 -p tcp -m tcp --dport 5432');
    });

    for (const [name] of CASES) {
      for (const family of [4, 6] as const) {
        const ext = family === 4 ? 'v4' : 'v6';
        it(`${name}.${ext}: accepted by ${family === 4 ? 'iptables' : 'ip6tables'}-restore --test, and round trips`, async () => {
          const out = compiled.get(name)!;
          const text = readFileSync(path.join(GOLDEN, `${name}.${ext}`), 'utf8');
          const test = await ns.restore(text, { family, test: true, noflush: out.noflush });
          expect(test.stderr).toBe('');
          expect(test.code).toBe(0);
          await ns.reset();
          const load = await ns.restore(text, { family, noflush: out.noflush });
          expect(load.code, load.stderr).toBe(0);
          const back = parseSave(await ns.save(family), { family });
          const desired = out.rulesets[ext];
          const d = diff(back, desired, { preserve: out.preserve });
          expect(renderDiff(d)).toBe('');
          expect(d.empty).toBe(true);
        });
      }
    }
  },
);
