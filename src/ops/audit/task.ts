/**
 * One host's audit: facts, live rules and the audit's own reading (one exec), the plan
 * against the compiled profile, then the pure checks. Read-only; findings do not fail the host
 * (its status is `ok`), a host that cannot be read does.
 */
import type { TaskContext, TaskResult } from '../../engine/index.js';
import type { Ban } from '../../model/ban.js';
import type { Profile, Source } from '../../model/profile.js';
import type { RemoteSession } from '../../remote/types.js';
import type { CompileOutput } from '../../ruleset/index.js';
import { parseFacts } from '../facts.js';
import { planHost } from '../host-plan.js';
import { auditDetail, runChecks } from './checks.js';
import { parseAuditOutput } from './parse.js';
import { AUDIT_SCRIPT } from './script.js';
import type { AuditInput, AuditSettings } from './types.js';

export interface AuditJob {
  host: { name: string; port: number };
  profile: Profile;
  management: readonly Source[];
  bans: readonly Ban[];
  settings: AuditSettings;
  /** The host's compiled rules, for its ban mode (`ipset` where the host has ipset). */
  compile: (ipset: boolean) => CompileOutput;
}

export async function auditHost(
  session: RemoteSession,
  job: AuditJob,
  ctx: TaskContext,
): Promise<TaskResult> {
  ctx.step('read');
  const res = await session.run(AUDIT_SCRIPT, { args: ['save'] });
  if (res.code !== 0)
    throw new Error(`the audit script failed (exit ${res.code}): ${res.stderr.trim().slice(0, 300)}`);
  const { facts, live } = parseFacts(res.stdout);
  if (!live) throw new Error('the host did not print its rules');
  ctx.step('check');
  const plan = planHost(live, job.compile(facts.ipset), facts.ip6tables, facts.activeTools);
  const input: AuditInput = {
    ...job,
    facts,
    plan,
    extras: parseAuditOutput(res.stdout),
    live: { v4: plan.v4.current, v6: plan.v6?.current ?? null },
  };
  const findings = runChecks(input);
  const data = { added: plan.added, removed: plan.removed, policies: plan.policies, facts };
  return {
    status: 'ok',
    detail: auditDetail(findings),
    findings,
    ...(plan.diffText && { diff: plan.diffText }),
    data,
  };
}
