/**
 * apt's simulation output, parsed. The two fixtures were recorded on a Debian 12 machine with
 * `LC_ALL=C apt-get -s upgrade` (plain, and with fleet's security-only preferences file).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAptSimulate } from '../../src/ops/update/apt-simulate.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/update/${name}`, import.meta.url), 'utf8');

describe('parseAptSimulate', () => {
  it('reads every Inst line of a recorded simulation, with old and new versions', () => {
    const all = parseAptSimulate(fixture('apt-simulate-upgrade.txt'));
    expect(all).toHaveLength(135);
    expect(all).toContainEqual({ name: 'bash', old: '5.2.15-2+b8', new: '5.2.15-2+b13' });
    expect(all).toContainEqual({
      name: 'login',
      old: '1:4.13+dfsg1-1+deb12u1',
      new: '1:4.13+dfsg1-1+deb12u2',
    });
  });

  it('security-only simulation lists only security-suite versions', () => {
    const text = fixture('apt-simulate-security.txt');
    const sec = parseAptSimulate(text);
    expect(sec).toHaveLength(81);
    expect(sec.find((c) => c.name === 'bash')).toBeUndefined();
    expect(sec).toContainEqual({ name: 'liblzma5', old: '5.4.1-1', new: '5.4.1-1+deb12u2' });
    // Every Inst line of that simulation names the Debian-Security origin.
    const inst = text.split('\n').filter((l) => l.startsWith('Inst '));
    expect(inst.every((l) => l.includes('Debian-Security'))).toBe(true);
  });

  it('reads new packages (no [old]) and removals, and ignores Conf lines', () => {
    const text = [
      'Inst linux-image-6.1.0-28-amd64 (6.1.119-1 Debian-Security:12/stable-security [amd64])',
      'Remv oldpkg [2.0-1]',
      'Conf linux-image-6.1.0-28-amd64 (6.1.119-1 Debian-Security:12/stable-security [amd64])',
      'Inst fleet-lab-canary [1.0] (1.1 fleet-lab:fleet-lab [all])',
    ].join('\n');
    expect(parseAptSimulate(text)).toEqual([
      { name: 'linux-image-6.1.0-28-amd64', old: null, new: '6.1.119-1' },
      { name: 'oldpkg', old: '2.0-1', new: null },
      { name: 'fleet-lab-canary', old: '1.0', new: '1.1' },
    ]);
  });

  it('finds nothing in a simulation with nothing to do', () => {
    const text =
      'Reading package lists...\nCalculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n';
    expect(parseAptSimulate(text)).toEqual([]);
  });
});
