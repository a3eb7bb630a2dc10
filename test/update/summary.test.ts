/** The host line of an update result, the reboot decision, and flag validation. Pure. */
import { describe, expect, it } from 'vitest';
import { readTaskOptions } from '../../src/cli/commands/update.js';
import { InputError } from '../../src/errors.js';
import { updateArgs } from '../../src/ops/update/script.js';
import { summarizeUpdate } from '../../src/ops/update/summary.js';
import { shouldReboot } from '../../src/ops/update/task.js';
import type { UpdateResult } from '../../src/ops/update/types.js';

const base: UpdateResult = {
  ok: true,
  packageManager: 'apt',
  mode: 'upgrade',
  securityOnly: false,
  pending: [],
  changed: [],
  rebootRequired: false,
  rebootPackages: [],
};
const canary = { name: 'fleet-lab-canary', old: '1.0', new: '1.1' };

describe('summarizeUpdate', () => {
  it('upgrade with changes: changed, old → new, reboot noted', () => {
    const s = summarizeUpdate({ ...base, changed: [canary], rebootRequired: true });
    expect(s).toMatchObject({
      status: 'changed',
      detail: 'upgraded 1: fleet-lab-canary 1.0 → 1.1; reboot required',
    });
    expect(s.data.update).toMatchObject({ changed: [canary] });
  });

  it('upgrade with nothing to do: unchanged', () => {
    expect(summarizeUpdate(base)).toMatchObject({ status: 'unchanged', detail: 'nothing to do' });
  });

  it('check: ok with the pending count, or up to date; long lists are cut', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ name: `p${i}`, old: '1', new: '2' }));
    expect(summarizeUpdate({ ...base, mode: 'check', pending: many }).detail).toBe(
      '5 pending: p0 1 → 2, p1 1 → 2, p2 1 → 2 (+2 more)',
    );
    expect(summarizeUpdate({ ...base, mode: 'check' })).toMatchObject({ status: 'ok', detail: 'up to date' });
  });

  it('failure: failed, naming the package manager step and its error, and partial changes', () => {
    const s = summarizeUpdate({
      ...base,
      ok: false,
      failedStep: 'upgrade',
      error: 'E: boom',
      changed: [canary],
    });
    expect(s).toMatchObject({
      status: 'failed',
      detail: 'apt upgrade failed (after changing 1 packages): E: boom',
    });
  });

  it('new and removed packages read as such', () => {
    const detail = summarizeUpdate({
      ...base,
      changed: [
        { name: 'linux-image-6.1.0-28-amd64', old: null, new: '6.1.119-1' },
        { name: 'oldpkg', old: '2.0', new: null },
      ],
    }).detail;
    expect(detail).toBe('upgraded 2: linux-image-6.1.0-28-amd64 (new) 6.1.119-1, oldpkg 2.0 (removed)');
  });
});

describe('shouldReboot', () => {
  const yes = { ...base, rebootRequired: true };
  it('only after a successful upgrade that requires it, and only when asked', () => {
    expect(shouldReboot(yes, { rebootIfNeeded: true, mode: 'upgrade' })).toBe(true);
    expect(shouldReboot(yes, { rebootIfNeeded: false, mode: 'upgrade' })).toBe(false);
    expect(shouldReboot(yes, { rebootIfNeeded: true, mode: 'check' })).toBe(false);
    expect(shouldReboot({ ...yes, ok: false }, { rebootIfNeeded: true, mode: 'upgrade' })).toBe(false);
    expect(shouldReboot({ ...yes, rebootRequired: null }, { rebootIfNeeded: true, mode: 'upgrade' })).toBe(
      false,
    );
  });
});

describe('flags and script arguments', () => {
  it('builds the three script arguments from validated options', () => {
    expect(updateArgs({ mode: 'check', securityOnly: true, lockWaitSeconds: 120 })).toEqual([
      'check',
      '1',
      '120',
    ]);
    expect(() => updateArgs({ mode: 'upgrade', securityOnly: false, lockWaitSeconds: -1 })).toThrow(
      RangeError,
    );
    expect(() => updateArgs({ mode: 'upgrade', securityOnly: false, lockWaitSeconds: 1.5 })).toThrow(
      RangeError,
    );
  });

  it('reads durations, and reports every bad flag at once', () => {
    const ok = readTaskOptions({ lockWait: '90s', rebootWait: '10m', securityOnly: true });
    expect(ok).toEqual({
      mode: 'upgrade',
      securityOnly: true,
      lockWaitSeconds: 90,
      rebootIfNeeded: false,
      rebootWaitMs: 600_000,
    });
    let err: unknown;
    try {
      readTaskOptions({ lockWait: 'soon', rebootWait: 'x', check: true, rebootIfNeeded: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toHaveLength(3);
  });
});
