/** A step of the update script as its sections carry it: `NAME.out`, `NAME.err`, `NAME.rc`. Pure. */
export interface StepOutput {
  name: string;
  stdout: string;
  stderr: string;
  rc: number;
}

export function readStep(sections: Map<string, string>, name: string): StepOutput | undefined {
  const rc = sections.get(`${name}.rc`);
  if (rc === undefined) return undefined;
  return {
    name,
    stdout: sections.get(`${name}.out`) ?? '',
    stderr: sections.get(`${name}.err`) ?? '',
    rc: Number.parseInt(rc.trim(), 10),
  };
}

/** check-update exits 100 when updates are available: that is not a failure. */
export function stepFailed(step: StepOutput): boolean {
  if (step.name === 'check') return step.rc !== 0 && step.rc !== 100;
  return step.rc !== 0;
}

/** The steps in the order the script runs them (apt: update, simulate, upgrade; rpm: check or upgrade). */
export const STEP_ORDER = ['update', 'simulate', 'check', 'upgrade'] as const;
