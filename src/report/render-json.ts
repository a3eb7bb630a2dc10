/**
 * The stable machine format: the RunReport itself, pretty-printed, keys in a fixed order
 * (the schema's order for known keys, then any other key sorted), so two runs diff cleanly.
 */
import type { RunReport } from '../model/result.js';
import { cmp } from './render-common.js';

const REPORT_KEYS = [
  'schemaVersion',
  'command',
  'selector',
  'startedAt',
  'finishedAt',
  'stopped',
  'stopReason',
  'hosts',
];
const HOST_KEYS = ['host', 'status', 'durationMs', 'detail', 'steps', 'findings', 'diff', 'data'];
const FINDING_KEYS = ['check', 'severity', 'message'];
const STEP_KEYS = ['step', 'ms'];

type Json = unknown;
type JsonObject = Record<string, Json>;

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(canonicalReport(report), null, 2)}\n`;
}

/** The report as a plain object with keys in the canonical order. */
export function canonicalReport(report: RunReport): JsonObject {
  const top = ordered(report as unknown as JsonObject, REPORT_KEYS);
  if (Array.isArray(top.hosts)) top.hosts = top.hosts.map(canonicalHost);
  return top;
}

function canonicalHost(host: Json): Json {
  if (!isObject(host)) return host;
  const out = ordered(host, HOST_KEYS);
  if (Array.isArray(out.steps)) out.steps = out.steps.map((s) => (isObject(s) ? ordered(s, STEP_KEYS) : s));
  if (Array.isArray(out.findings))
    out.findings = out.findings.map((f) => (isObject(f) ? ordered(f, FINDING_KEYS) : f));
  if (out.data !== undefined) out.data = sortedDeep(out.data);
  return out;
}

/** The listed keys first (when present), then every other key sorted; unknown values sorted deep. */
function ordered(obj: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  const rest = Object.keys(obj)
    .filter((k) => !keys.includes(k))
    .sort(cmp);
  for (const k of rest) out[k] = sortedDeep(obj[k]);
  return out;
}

function sortedDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(value).sort(cmp)) out[k] = sortedDeep(value[k]);
  return out;
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
