import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommand, quote } from '../../src/remote/quote.js';

const sh = (line: string) => execFileSync('sh', ['-c', line], { encoding: 'utf8' });

describe('quote', () => {
  it('wraps in single quotes and escapes single quotes', () => {
    expect(quote('')).toBe("''");
    expect(quote('a b')).toBe("'a b'");
    expect(quote("it's")).toBe(`'it'\\''s'`);
  });

  it('refuses NUL, which no argv can carry', () => {
    expect(() => quote('a\0b')).toThrow(/NUL/);
  });

  it('round-trips any string through a real sh (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')),
        (s) => {
          expect(sh(`sh -c 'printf %s "$1"' x ${quote(s)}`)).toBe(s);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('round-trips shell metacharacters', () => {
    for (const s of ["'", "''", '\\', '"$HOME"', '`id`', '$(id)', '\n', '*', '-n', '; rm -rf /', 'a\'"b']) {
      expect(sh(`sh -c 'printf %s "$1"' x ${quote(s)}`)).toBe(s);
    }
  });
});

describe('buildCommand', () => {
  it('runs the script with $0=fleet and the args as $1...', () => {
    const cmd = buildCommand({ script: `printf '[%s]' "$0" "$@"`, args: ['a b', "c'd", ''] });
    expect(sh(cmd)).toBe("[fleet][a b][c'd][]");
  });

  it('prefixes sudo -n when asked', () => {
    expect(buildCommand({ script: 'id -u', sudo: true })).toBe("sudo -n sh -c 'id -u' fleet");
  });
});
