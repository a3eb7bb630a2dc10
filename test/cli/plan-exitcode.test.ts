import { describe, expect, it } from 'vitest';
import { detailedExitCode } from '../../src/cli/commands/plan.js';
import type { HostResult, HostStatus, RunReport } from '../../src/model/result.js';

const report = (...statuses: HostStatus[]): RunReport => ({
  schemaVersion: 1,
  command: 'plan',
  selector: 'all',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  stopped: false,
  hosts: statuses.map(
    (status, i): HostResult => ({ host: `h${i}`, status, durationMs: 1, detail: '', steps: [] }),
  ),
});

describe('plan --detailed-exitcode (as Terraform)', () => {
  it('0 when nothing would change, 2 when changes are pending, 1 when a host failed', () => {
    expect(detailedExitCode(report('unchanged', 'unchanged'), 0)).toBe(0);
    expect(detailedExitCode(report('unchanged', 'changed'), 0)).toBe(2);
    expect(detailedExitCode(report('changed', 'unreachable'), 1)).toBe(1);
    expect(detailedExitCode(report('changed', 'skipped'), 3)).toBe(1);
  });
});
