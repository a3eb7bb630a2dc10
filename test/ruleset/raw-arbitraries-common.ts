/**
 * Building blocks of the raw-rule generators (test/ruleset/raw-arbitraries.ts): numbers written
 * as iptables reads them, addresses, ports, rates, and where a rule may go.
 */
import fc from 'fast-check';
import type { RawRule } from '../../src/model/profile.js';

export type Fam = 4 | 6;
export type Args = string[];

/** Test sets the namespace must hold before the rules load (ipset create … hash:net). */
export const TEST_SETS: Record<Fam, string> = { 4: 'fleet-prop4', 6: 'fleet-prop6' };

export const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
export const opt = (a: fc.Arbitrary<Args>): fc.Arbitrary<Args> => fc.oneof(fc.constant<Args>([]), a);
export const cat = (...parts: fc.Arbitrary<Args>[]): fc.Arbitrary<Args> =>
  fc.tuple(...parts).map((p) => p.flat());
export const num = (min: number, max: number) => fc.integer({ min, max });
/** A number as iptables reads it: decimal or hex (either case). */
export const anyNum = (min: number, max: number) =>
  fc
    .tuple(num(min, max), pick('dec', 'hex', 'HEX'))
    .map(([n, f]) =>
      f === 'dec' ? String(n) : f === 'hex' ? `0x${n.toString(16)}` : `0x${n.toString(16).toUpperCase()}`,
    );
export const u32 = anyNum(0, 0xffffffff);
export const mark = fc.oneof(
  u32,
  fc.tuple(u32, u32).map(([v, m]) => `${v}/${m}`),
);
export const port = num(1, 65535);
export const portRange = fc
  .tuple(port, port)
  .map(([a, b]) => (a === b ? `${a}` : `${Math.min(a, b)}:${Math.max(a, b)}`));
export const v4 = fc.tuple(num(1, 223), num(0, 255), num(0, 255), num(1, 254)).map((p) => p.join('.'));
export const v6 = fc
  .tuple(num(1, 0xffff), num(0, 0xffff))
  .map(([a, b]) => `2001:db8:${a.toString(16)}::${b.toString(16)}`);
export const addr = (f: Fam) => (f === 4 ? v4 : v6);
export const rate = fc
  .tuple(num(1, 10000), pick('s', 'sec', 'second', 'min', 'minute', 'hour', 'h', 'day', 'd'))
  .map(([n, u]) => `${n}/${u}`);
export const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
export const tcpish = pick('tcp', 'udp');

export interface Kind {
  table: RawRule['table'];
  chains: string[];
  args: (f: Fam) => fc.Arbitrary<Args>;
}

export const mangle = (args: Kind['args'], chains = ['PREROUTING', 'OUTPUT', 'POSTROUTING']): Kind => ({
  table: 'mangle',
  chains,
  args,
});
export const filter = (args: Kind['args'], chains = ['INPUT', 'FORWARD']): Kind => ({
  table: 'filter',
  chains,
  args,
});

export const markOps = fc.oneof(
  mark.map((m) => ['--set-mark', m]),
  mark.map((m) => ['--set-xmark', m]),
  u32.map((m) => ['--and-mark', m]),
  u32.map((m) => ['--or-mark', m]),
  u32.map((m) => ['--xor-mark', m]),
);
export const connmarkSaveRestore = cat(
  pick(['--save-mark'], ['--restore-mark']),
  fc.oneof(
    fc.constant<Args>([]),
    u32.map((m) => ['--mask', m]),
    cat(opt(u32.map((m) => ['--nfmask', m])), opt(u32.map((m) => ['--ctmask', m]))),
  ),
);
export const tosValue = fc.oneof(
  pick('Minimize-Delay', 'Maximize-Throughput', 'Maximize-Reliability', 'Minimize-Cost', 'Normal-Service'),
  anyNum(0, 255),
  fc.tuple(anyNum(0, 255), anyNum(0, 255)).map(([v, m]) => `${v}/${m}`),
);
export const dscpClass = pick('EF', 'BE', 'CS0', 'CS3', 'cs6', 'AF11', 'af23', 'AF41', 'AF43');
export const syn = pick(['--tcp-flags', 'SYN,RST', 'SYN'], ['--syn'], ['--tcp-flags', 'RST,SYN', 'SYN']);
