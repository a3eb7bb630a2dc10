import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIRM_TIMEOUT_S, readTransactionFlags } from '../../src/cli/apply-options.js';
import { InputError } from '../../src/errors.js';
import { fleetCli } from '../support/cli.js';

describe('--confirm-timeout', () => {
  it('takes 5 s up to one hour', () => {
    expect(readTransactionFlags({ confirmTimeout: '5', keep: '10' }).confirmTimeoutS).toBe(5);
    expect(readTransactionFlags({ confirmTimeout: '3600', keep: '10' }).confirmTimeoutS).toBe(3600);
    expect(MAX_CONFIRM_TIMEOUT_S).toBe(3600);
  });

  it('refuses more than an hour with an input error that says why', () => {
    const read = () => readTransactionFlags({ confirmTimeout: '3601', keep: '10' });
    expect(read).toThrow(InputError);
    expect(read).toThrow(/--confirm-timeout "3601": must be at most 3600 \(one hour\)/);
    expect(() => readTransactionFlags({ confirmTimeout: '4', keep: '10' })).toThrow(/at least 5/);
  });

  it.each(['apply', 'rollback'])('%s exits 2 before loading anything or connecting', async (cmd) => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-ct-'));
    const run = await fleetCli(dir, cmd, 'all', '--confirm-timeout', '86400');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--confirm-timeout "86400": must be at most 3600/);
    expect(run.report).toBeUndefined();
  });
});
