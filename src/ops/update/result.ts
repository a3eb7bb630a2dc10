/**
 * From the update script's output to an UpdateResult. Pure: the same output always gives the
 * same result, so every branch is tested on recorded text.
 */
import type { ExecResult } from '../../remote/types.js';
import { parseSections } from '../sections.js';
import { parseAptSimulate } from './apt-simulate.js';
import { errorText } from './error-text.js';
import { parseInstalledList, parsePackageDiff } from './package-diff.js';
import { parseCheckUpdate } from './rpm-check-update.js';
import { parseRpmTransaction, upgradedFromTransaction } from './rpm-transaction.js';
import { readStep, STEP_ORDER, stepFailed } from './steps.js';
import type { PackageChange, UpdateOptions, UpdatePackageManager, UpdateResult } from './types.js';

type Sections = Map<string, string>;

export function parseUpdateOutput(res: ExecResult, opts: UpdateOptions): UpdateResult {
  const s = parseSections(res.stdout);
  const pm = (s.get('pm')?.trim() || 'none') as UpdatePackageManager;
  const result = emptyResult(pm, opts);
  if (!s.has('pm')) return fail(result, 'script', scriptError(res));
  if (pm === 'none') return fail(result, 'detect', 'no apt-get, dnf or yum on the host');
  result.pending = pendingOf(s, pm);
  result.changed = changedOf(s, pm);
  Object.assign(result, rebootOf(s));
  const failed = firstFailedStep(s);
  if (failed) return fail(result, failed.name, errorText(failed.stderr, failed.stdout));
  if (!s.has('end')) return fail(result, 'script', scriptError(res));
  result.ok = true;
  return result;
}

function emptyResult(pm: UpdatePackageManager, opts: UpdateOptions): UpdateResult {
  return {
    ok: false,
    packageManager: pm,
    mode: opts.mode,
    securityOnly: opts.securityOnly,
    pending: [],
    changed: [],
    rebootRequired: null,
    rebootPackages: [],
  };
}

function fail(result: UpdateResult, step: string, error: string): UpdateResult {
  return { ...result, ok: false, failedStep: step, error: error || `${step} failed` };
}

function scriptError(res: ExecResult): string {
  if (res.timedOut) return 'the update script timed out';
  const why = errorText(res.stderr, '') || `exit ${res.code ?? res.signal ?? '?'}`;
  return `the update script did not finish: ${why}`;
}

function firstFailedStep(s: Sections) {
  for (const name of STEP_ORDER) {
    const step = readStep(s, name);
    if (step && stepFailed(step)) return step;
  }
  return undefined;
}

function pendingOf(s: Sections, pm: UpdatePackageManager): PackageChange[] {
  if (pm === 'apt') return parseAptSimulate(readStep(s, 'simulate')?.stdout ?? '');
  const installed = parseInstalledList(s.get('installed') ?? '');
  return parseCheckUpdate(readStep(s, 'check')?.stdout ?? '').map((p) => ({
    name: p.name,
    old: installed.get(p.name) ?? null,
    new: p.version,
  }));
}

/** The dpkg/rpm before-after difference; for dnf/yum cut off before it, their own summary. */
function changedOf(s: Sections, pm: UpdatePackageManager): PackageChange[] {
  const diff = s.get('changes');
  if (diff !== undefined || pm === 'apt') return parsePackageDiff(diff ?? '');
  return upgradedFromTransaction(parseRpmTransaction(readStep(s, 'upgrade')?.stdout ?? ''));
}

function rebootOf(s: Sections): Pick<UpdateResult, 'rebootRequired' | 'rebootPackages'> {
  const word = s.get('reboot')?.trim();
  const rebootRequired = word === 'yes' ? true : word === 'no' ? false : null;
  const rebootPackages = (s.get('reboot-pkgs') ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { rebootRequired, rebootPackages: [...new Set(rebootPackages)] };
}
