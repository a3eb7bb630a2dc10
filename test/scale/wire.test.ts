/** Errors crossing from a worker thread: re-created with their class, message, hint and exit code. */
import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../../src/cli/workers/wire.js';
import { EnvironmentError, EXIT, FleetError, InputError } from '../../src/errors.js';
import { HostKeyError } from '../../src/remote/index.js';

/** What postMessage does to a value: a structured clone. */
const cross = (err: unknown) => fromWire(structuredClone(toWire(err)));

describe('errors across the thread boundary', () => {
  it('an InputError keeps its class, problems (file:line:col), hint and exit 2', () => {
    const pos = { file: 'inventory/hosts.yaml', line: 3, col: 5 };
    const err = cross(new InputError([{ pos, message: 'bad address' }], 'fix it'));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe('inventory/hosts.yaml:3:5 bad address');
    expect((err as InputError).problems).toEqual([{ pos, message: 'bad address' }]);
    expect((err as InputError).hint).toBe('fix it');
    expect((err as InputError).exitCode).toBe(EXIT.usage);
  });

  it('an EnvironmentError and any other FleetError keep message, hint, exit code and name', () => {
    const env = cross(new EnvironmentError('not root', 'run with sudo'));
    expect(env).toBeInstanceOf(EnvironmentError);
    expect([env.message, (env as EnvironmentError).hint]).toEqual(['not root', 'run with sudo']);
    const key = cross(new HostKeyError('web-01', 'unknown', 'unknown host key for web-01', 'SHA256:x'));
    expect(key).toBeInstanceOf(FleetError);
    expect(key.name).toBe('HostKeyError');
    expect((key as FleetError).exitCode).toBe(EXIT.hostFailed);
    expect((key as FleetError).hint).toContain('--trust-new-hosts');
  });

  it('anything else stays a plain Error (an internal error, exit 4) with its message', () => {
    const err = cross(new TypeError('x is undefined'));
    expect(err).not.toBeInstanceOf(FleetError);
    expect([err.name, err.message]).toEqual(['TypeError', 'x is undefined']);
    expect(cross('a string').message).toBe('a string');
  });
});
