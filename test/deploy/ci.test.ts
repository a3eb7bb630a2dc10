/**
 * The CI example (deploy/ci/github-actions-audit.yml): one job per shard covering 0..SHARDS-1,
 * each uploading its report; a merge job that runs even when shards failed and exits with the
 * merged exit code; every run script valid shell.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  shell?: string;
}
interface Job {
  needs?: string;
  if?: string;
  strategy?: { 'fail-fast'?: boolean; matrix: { shard: number[] } };
  steps: Step[];
}

const FILE = join(import.meta.dirname, '..', '..', 'deploy', 'ci', 'github-actions-audit.yml');
const wf = parse(readFileSync(FILE, 'utf8')) as {
  env: Record<string, string | number>;
  jobs: Record<string, Job>;
};
const { audit, merge } = wf.jobs as { audit: Job; merge: Job };
/** The matrix value as the workflow writes it (a GitHub expression, not a JS template). */
const MATRIX_SHARD = '\u0024{{ matrix.shard }}';
/** A run script as the shell sees it once the runner has replaced its ${{ }} expressions. */
const shellOf = (s: Step) => s.run!.replace(/\$\{\{[^}]*\}\}/g, '0');

describe('deploy/ci/github-actions-audit.yml', () => {
  it('has one job per shard, 0..SHARDS-1, that do not cancel each other', () => {
    const n = Number(wf.env.SHARDS);
    expect(audit.strategy!.matrix.shard).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(audit.strategy!['fail-fast']).toBe(false);
    const run = audit.steps.find((s) => s.run?.includes(' audit all '))!.run!;
    expect(run).toContain(`--shard "${MATRIX_SHARD}/$SHARDS"`);
    expect(run).toContain(`--out "shard-${MATRIX_SHARD}.json"`);
    expect(audit.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
  });

  it('merges after every shard, even failed ones, and fails the pipeline on the merged exit code', () => {
    expect(merge.needs).toBe('audit');
    expect(merge.if).toContain('always()');
    expect(merge.steps.some((s) => s.uses?.startsWith('actions/download-artifact'))).toBe(true);
    const step = merge.steps.find((s) => s.run?.includes('report merge'))!;
    expect(step.shell).toBe('bash {0}'); // no -e: the script keeps the merge's code to exit with it
    expect(step.run).toMatch(/report merge shards[^\n]*\n\s*code=\$\?/);
    expect(step.run!.trim().split('\n').at(-1)).toBe('exit "$code"');
  });

  it('every run script is valid shell', () => {
    for (const s of [...audit.steps, ...merge.steps].filter((x) => x.run))
      execFileSync('bash', ['-n', '-c', shellOf(s)]);
  });
});
