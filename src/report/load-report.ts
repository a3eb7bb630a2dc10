/**
 * Reading a saved JSON report back (`fleet report show`, `fleet report diff`): parse, check it is
 * a fleet report of schemaVersion 1, and say where it is not (file:line:col and the JSON path).
 * The rules here are the ones of schemas/report.v1.schema.json; a test keeps the two in step.
 * Unknown properties are kept (a newer fleet may add optional fields without a version bump).
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError, type Problem } from '../errors.js';
import type { RunReport } from '../model/result.js';

export const REPORT_SCHEMA_VERSION = 1;

/** ISO 8601 date and time with a zone, as Date.prototype.toISOString writes it. */
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const timestamp = z
  .string()
  .regex(TIMESTAMP_PATTERN, 'expected an ISO 8601 time such as 2026-01-31T02:00:00.000Z');
const count = z.number().finite().nonnegative();

const findingSchema = z.looseObject({
  check: z.string().min(1),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
});

const hostSchema = z.looseObject({
  host: z.string().min(1),
  status: z.enum(['ok', 'changed', 'unchanged', 'rolled-back', 'failed', 'unreachable', 'skipped']),
  durationMs: count,
  detail: z.string(),
  steps: z.array(z.looseObject({ step: z.string(), ms: count })),
  data: z.record(z.string(), z.unknown()).optional(),
  findings: z.array(findingSchema).optional(),
  diff: z.string().optional(),
});

const shardSchema = z.looseObject({
  index: z.number().int().nonnegative().optional(),
  count: z.number().int().positive().optional(),
  part: z.enum(['all', 'canary', 'rest']),
  selection: z.looseObject({
    size: z.number().int().nonnegative(),
    digest: z.string(),
    hosts: z.array(z.string()),
  }),
});

const reportSchema = z.looseObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  command: z.string().min(1),
  selector: z.string(),
  startedAt: timestamp,
  finishedAt: timestamp,
  stopped: z.boolean(),
  stopReason: z.string().optional(),
  shard: shardSchema.optional(),
  hosts: z.array(hostSchema),
});

const NOT_A_REPORT_HINT =
  'fleet reads the JSON reports it writes (reports/*.json, or --format json); see docs/reports.md';

export async function loadReport(file: string): Promise<RunReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new InputError({ message: `${file}: cannot read the report: ${reason}` });
  }
  return parseReport(text, file);
}

/** Parse and check a report's text; `file` only names it in errors. */
export function parseReport(text: string, file: string): RunReport {
  const value = parseJson(text, file);
  checkIsReport(value, file);
  const result = reportSchema.safeParse(value);
  if (result.success) return result.data as RunReport;
  const locate = locator(text, file);
  const problems = result.error.issues.map(
    (i): Problem => ({ pos: locate(i.path), path: jsonPath(i.path), message: issueMessage(i.message) }),
  );
  throw new InputError(
    problems,
    `${file} is not a valid fleet report (schemaVersion 1); ${NOT_A_REPORT_HINT}`,
  );
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0]!.replace(/ in JSON at position \d+.*$/, '');
    const pos = syntaxErrorPos(text, (err as Error).message, file);
    const message = `not valid JSON: ${reason}`;
    throw new InputError({ pos, message: pos ? message : `${file}: ${message}` }, NOT_A_REPORT_HINT);
  }
}

/** Where JSON.parse stopped (V8 says `at position N`), else where the YAML parser does. */
function syntaxErrorPos(text: string, message: string, file: string): Problem['pos'] {
  const lineCounter = new LineCounter();
  const offset = /at position (\d+)/.exec(message)?.[1];
  if (offset !== undefined) {
    parseDocument(text, { lineCounter });
    const { line, col } = lineCounter.linePos(Number(offset));
    return { file, line, col };
  }
  const at = parseDocument(text, { lineCounter }).errors[0]?.linePos?.[0];
  return at ? { file, line: at.line, col: at.col } : undefined;
}

/** The two mistakes worth their own message: not a report at all, and a newer format. */
function checkIsReport(value: unknown, file: string): void {
  const obj = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  const version = obj && (obj as Record<string, unknown>).schemaVersion;
  if (version === undefined || !('hosts' in (obj ?? {}))) {
    throw new InputError(`${file}: not a fleet report (no schemaVersion and hosts)`, NOT_A_REPORT_HINT);
  }
  if (typeof version === 'number' && version > REPORT_SCHEMA_VERSION) {
    throw new InputError(
      `${file}: written by a newer fleet (report schemaVersion ${version}); this fleet reads version ${REPORT_SCHEMA_VERSION}`,
      'upgrade fleet to read it',
    );
  }
}

function issueMessage(message: string): string {
  return /received undefined$/.test(message) ? 'missing (required)' : message;
}

/** `hosts[2].findings[0].severity` */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

/** Where a JSON path is in the text (the nearest node that exists), as file:line:col. */
function locator(text: string, file: string): (path: readonly PropertyKey[]) => Problem['pos'] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as
        | { range?: number[] }
        | undefined;
      const offset = node?.range?.[0];
      if (offset !== undefined) {
        const { line, col } = lineCounter.linePos(offset);
        return { file, line, col };
      }
    }
    return undefined;
  };
}
