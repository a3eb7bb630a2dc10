import { describe, expect, it } from 'vitest';
import { fromTemplate, normalise, toTemplate } from '../../bench/lib/sim/recording.js';

const SCRIPT = `sh -c 'set -eu; read fam cidr ttl; ipset add fleet-bans-v4 "$cidr"' fleet 'add' 'auto'`;
const hostA = { name: 'sim-00001', address: '127.213.0.1', address6: 'fd00:213::1' };
const hostB = { name: 'sim-00017', address: '127.213.0.17', address6: 'fd00:213::11' };

describe('simulated host recordings', () => {
  it('gives the same key to the same request on another host with another ban address', () => {
    const a = normalise(SCRIPT, '4 198.51.100.100/32 0\n', hostA);
    const b = normalise(SCRIPT, '4 198.51.100.177/32 0\n', hostB);
    expect(a.key).toBe(b.key);
    expect(a.values).toEqual(['198.51.100.100/32']);
    expect(b.values).toEqual(['198.51.100.177/32']);
  });

  it('gives different keys to different scripts, arguments or stdin shapes', () => {
    const base = normalise(SCRIPT, '4 198.51.100.100/32 0\n', hostA).key;
    expect(normalise(SCRIPT.replace("'add'", "'del'"), '4 198.51.100.100/32 0\n', hostA).key).not.toBe(base);
    expect(normalise(SCRIPT, '4 198.51.100.100/32 60\n', hostA).key).not.toBe(base);
    expect(normalise(SCRIPT, '4 198.51.100.100/32 0\n4 198.51.100.101/32 0\n', hostA).key).not.toBe(base);
  });

  it("does not take a longer address for the host's own (127.213.0.1 inside 127.213.0.17)", () => {
    const a = normalise(SCRIPT, 'peer 127.213.0.17\n', hostA);
    expect(a.values).toEqual(['127.213.0.17']);
  });

  it("plays an answer back with the simulated host's values and the request's addresses", () => {
    const upstream = { name: 'bsrec-01', address: '10.213.116.10', address6: 'fdf1:ee70:ad5:74::10' };
    const req = normalise(SCRIPT, '4 198.51.100.100/32 0\n', hostA);
    const tpl = toTemplate('host bsrec-01 10.213.116.10 banned 198.51.100.100/32\n', upstream, req.values);
    expect(tpl).toBe('host {{name}} {{address}} banned {{v4:0}}\n');
    const later = normalise(SCRIPT, '4 198.51.100.177/32 0\n', hostB);
    expect(fromTemplate(tpl, hostB, later.values)).toBe(
      'host sim-00017 127.213.0.17 banned 198.51.100.177/32\n',
    );
  });

  it('refuses to fill a placeholder the request has no value for, rather than answer wrongly', () => {
    expect(() => fromTemplate('banned {{v4:1}}', hostA, ['198.51.100.1/32'])).toThrow(/needs \{\{v4:1\}\}/);
  });
});
