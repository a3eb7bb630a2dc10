/**
 * The Kubernetes examples in deploy/kubernetes/ against the Kubernetes API schemas
 * (kubernetes-models' validators; no cluster needed), and the invariants a sharded audit needs:
 * one shard per completion index, every shard at once, the merge step, and every referenced
 * ConfigMap, Secret and claim named as the manifests name them.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CronJob, type ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const DIR = join(import.meta.dirname, '..', '..', 'deploy', 'kubernetes');
const MODELS: Record<string, new (d: never) => { validate(): void }> = {
  'batch/v1 CronJob': CronJob,
  'v1 ConfigMap': ConfigMap,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  [k: string]: unknown;
}
type Doc = Manifest & { file: string };

const docs: Doc[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => ({
      ...(d.toJS() as Manifest),
      file,
    })),
  );
const named = (kind: string) => docs.filter((d) => d.kind === kind).map((d) => d.metadata.name);

describe('deploy/kubernetes', () => {
  it('every manifest is valid against its Kubernetes schema', () => {
    expect(docs.map((d) => `${d.file}: ${d.kind}`).sort()).toEqual([
      'audit-cronjob.yaml: CronJob',
      'fleet-config.yaml: ConfigMap',
      'reports-pvc.yaml: PersistentVolumeClaim',
    ]);
    for (const d of docs) {
      const Model = MODELS[`${d.apiVersion} ${d.kind}`];
      expect(Model, `${d.file}: no validator for ${d.apiVersion} ${d.kind}`).toBeDefined();
      const { file: _file, ...manifest } = d;
      expect(() => new Model!(manifest as never).validate(), d.file).not.toThrow();
    }
  });

  it('the validator refuses a broken manifest (so the check above can fail)', () => {
    const cron = structuredClone(docs.find((d) => d.kind === 'CronJob')!) as unknown as ICronJob;
    cron.spec!.jobTemplate.spec!.completions = 'four' as unknown as number;
    expect(() => new CronJob(cron).validate()).toThrow(/completions must be integer/);
  });

  describe('the audit CronJob', () => {
    const cron = docs.find((d) => d.kind === 'CronJob') as unknown as ICronJob;
    const job = cron.spec!.jobTemplate.spec!;
    const pod = job.template.spec!;
    const main = pod.containers[0]!;
    const env = Object.fromEntries((main.env ?? []).map((e) => [e.name, e]));
    const script = main.args![0]!;

    it('is an Indexed Job with one pod per shard, all at once, never retried', () => {
      expect(job.completionMode).toBe('Indexed');
      expect(job.completions).toBe(Number(env.SHARDS!.value));
      expect(job.parallelism).toBe(job.completions);
      expect(job.backoffLimit).toBe(0);
      expect(cron.spec!.concurrencyPolicy).toBe('Forbid');
    });

    it('runs fleet audit on its completion index and merges on pod 0; the script is valid sh', () => {
      expect(script).toContain('fleet -C /repo audit all --shard "$JOB_COMPLETION_INDEX/$SHARDS"');
      expect(script).toContain('fleet report merge "$run" --format json --out "$run/merged.json"');
      expect(env.JOB_NAME!.valueFrom!.fieldRef!.fieldPath).toBe(
        "metadata.labels['batch.kubernetes.io/job-name']",
      );
      execFileSync('sh', ['-n', '-c', script]);
    });

    it('takes the SSH key and known_hosts from a Secret, the repo from the ConfigMap, reports to the claim', () => {
      const volumes = Object.fromEntries((pod.volumes ?? []).map((v) => [v.name, v]));
      const mounts = Object.fromEntries((main.volumeMounts ?? []).map((m) => [m.name, m]));
      expect(volumes.ssh!.secret!.secretName).toBe('fleet-ssh');
      expect(mounts.ssh).toMatchObject({ mountPath: `${env.HOME!.value}/.ssh`, readOnly: true });
      expect(named('ConfigMap')).toContain(pod.initContainers![0]!.envFrom![0]!.configMapRef!.name);
      expect(named('PersistentVolumeClaim')).toContain(volumes.reports!.persistentVolumeClaim!.claimName);
      for (const m of main.volumeMounts ?? []) expect(volumes[m.name], m.name).toBeDefined();
    });
  });
});
