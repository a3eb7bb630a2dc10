/** Properties: generated profiles load and keep their invariants; CIDR parsing is exact. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/inventory/input/address.js';
import { profileProblems, profiles } from './support.js';

const octets = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });

describe('parseSource', () => {
  it('accepts exactly the IPv4 CIDRs without host bits, and its output parses to itself', () => {
    fc.assert(
      fc.property(octets, fc.integer({ min: 0, max: 32 }), (o, len) => {
        const addr = o.join('.');
        const value = o.reduce((a, b) => a * 256 + b, 0);
        const hostBits = value % 2 ** (32 - len) !== 0;
        const r = parseSource(`${addr}/${len}`);
        expect(r.ok).toBe(!hostBits);
        if (r.ok) expect(parseSource(r.source.cidr)).toEqual(r);
        else expect(r.message).toContain('has host bits set');
      }),
    );
  });

  it('normalizes IPv6 to one spelling', () => {
    const groups = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(groups, (g) => {
        const long = g.map((x) => x.toString(16).padStart(4, '0')).join(':');
        const r = parseSource(long);
        expect(r.ok && r.source.family === 6 && r.source.cidr.endsWith('/128')).toBe(true);
        if (r.ok) expect(parseSource(r.source.cidr)).toEqual(r);
      }),
    );
  });
});

const POOL = ['192.0.2.0/24', '198.51.100.7', '2001:db8::/32', '2001:db8:1::5', 'ops', 'management'];
const service = fc.record({
  from: fc.integer({ min: 1, max: 65535 }),
  span: fc.integer({ min: 0, max: 100 }),
  proto: fc.constantFrom('tcp', 'udp', '[tcp, udp]'),
  sources: fc.subarray(POOL),
});
type Service = { from: number; span: number; proto: string; sources: string[] };
const layer = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.option(service), { maxKeys: 4 });

function yamlOf(services: Record<string, Service | null>, parent?: string): string {
  const lines = parent ? [`extends: ${parent}`] : [];
  lines.push('services:', ...Object.entries(services).map(([n, s]) => `  ${n}: ${serviceYaml(s)}`));
  return `${lines.join('\n')}\n`;
}

function serviceYaml(s: Service | null): string {
  if (!s) return '~';
  const to = Math.min(65535, s.from + s.span);
  const port = to === s.from ? `${s.from}` : `"${s.from}-${to}"`;
  return `{ port: ${port}, proto: ${s.proto}, sources: [${s.sources.join(', ')}] }`;
}

describe('generated profile chains', () => {
  const SETS = 'sets:\n  ops: [203.0.113.0/25, "2001:db8:ff::/48"]\n';

  it('load, with valid ports, canonical sources and services merged by name', () => {
    fc.assert(
      fc.property(fc.array(layer, { minLength: 1, maxLength: 4 }), (layers) => {
        const files: Record<string, string> = { 'sets.yaml': SETS };
        for (const [i, l] of layers.entries()) files[`p${i}.yaml`] = yamlOf(l, i ? `p${i - 1}` : undefined);
        const leaf = profiles(files).get(`p${layers.length - 1}`)!;
        expect(leaf.lineage).toEqual(layers.map((_, i) => `p${i}`));
        const alive = new Map<string, boolean>();
        for (const l of layers) for (const [n, s] of Object.entries(l)) alive.set(n, s !== null);
        const names = [...new Set(leaf.services.map((s) => s.name))].sort();
        expect(names).toEqual(
          [...alive]
            .filter(([, a]) => a)
            .map(([n]) => n)
            .sort(),
        );
        for (const s of leaf.services) {
          expect(1 <= s.ports.from && s.ports.from <= s.ports.to && s.ports.to <= 65535).toBe(true);
          for (const src of s.sources)
            expect(parseSource(src.cidr)).toEqual({
              ok: true,
              source: { cidr: src.cidr, family: src.family },
            });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a port out of range anywhere is reported at its own line', () => {
    fc.assert(
      fc.property(layer, fc.integer({ min: 65536, max: 999999 }), (l, bad) => {
        const text = yamlOf(l);
        const lines = text.split('\n');
        const at = 1 + (bad % (lines.length - 1));
        lines.splice(at, 0, `  bad: { port: ${bad} }`);
        const msgs = profileProblems({ 'sets.yaml': SETS, 'x.yaml': lines.join('\n') });
        expect(msgs).toEqual([
          expect.stringMatching(
            new RegExp(`^\\./profiles/x\\.yaml:${at + 1}:16 services\\.bad\\.port: port "${bad}"`),
          ),
        ]);
      }),
      { numRuns: 40 },
    );
  });
});
